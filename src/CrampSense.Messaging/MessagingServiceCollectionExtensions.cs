using CrampSense.Messaging.Broker;
using CrampSense.Messaging.Configuration;
using CrampSense.Messaging.Publishing;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrampSense.Messaging;

/// <summary>Registration for a Generic Host program (the wearable service). Programs without a host use <see cref="MqttPublisher.Create"/> directly.</summary>
public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Reads and validates the messaging keys now (a bad key fails at start-up with <see cref="MessagingConfigurationException"/>),
    /// and registers <see cref="MessagingOptions"/>, the <see cref="MqttPublisher"/> singleton, its <see cref="PublisherMetrics"/> (on the
    /// <see cref="IMeterFactory"/> that <c>AddMetrics</c> registers once) and a hosted service that
    /// starts the embedded broker when no <c>Mqtt:Host</c> is configured, runs the publisher, and on stop publishes
    /// <c>offline</c> and disconnects.
    /// </summary>
    public static IServiceCollection AddCrampSenseMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = MessagingOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => MqttPublisher.Create(options, provider.GetService<TimeProvider>(), provider.GetService<ILoggerFactory>()));
        services.AddMetrics();
        services.AddSingleton(provider => new PublisherMetrics(provider.GetRequiredService<IMeterFactory>(), provider.GetRequiredService<MqttPublisher>()));
        services.AddHostedService(provider => new MessagingHostedService(options, provider.GetRequiredService<MqttPublisher>(), provider.GetRequiredService<PublisherMetrics>()));
        return services;
    }

    // The metrics are held so their instruments exist from start-up (the host's IMeterFactory disposes the meter).
    private sealed class MessagingHostedService(MessagingOptions options, MqttPublisher publisher, PublisherMetrics metrics) : IHostedService, IAsyncDisposable
    {
        public PublisherMetrics Metrics { get; } = metrics;

        private EmbeddedBroker? _broker;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.UsesEmbeddedBroker)
            {
                _broker = await EmbeddedBroker.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }

            await publisher.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await publisher.StopAsync(cancellationToken).ConfigureAwait(false);
            await DisposeAsync().ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            var broker = Interlocked.Exchange(ref _broker, null);
            if (broker is not null)
            {
                await broker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
