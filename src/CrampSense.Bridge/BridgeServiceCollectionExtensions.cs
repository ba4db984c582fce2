using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Pipeline;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrampSense.Bridge;

/// <summary>Registration of the bridge in a Generic Host.</summary>
public static class BridgeServiceCollectionExtensions
{
    /// <summary>
    /// Reads and validates the bridge keys now (a bad key fails at start-up with <see cref="BridgeConfigurationException"/>
    /// naming it), and registers <see cref="BridgeOptions"/>, the <see cref="MqttInfluxBridge"/> singleton, its <see cref="BridgeMetrics"/> and a hosted
    /// service that starts it and, on stop, writes and acknowledges what it holds.
    /// </summary>
    public static IServiceCollection AddCrampSenseBridge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = BridgeOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new MqttInfluxBridge(options, provider.GetService<TimeProvider>(), provider.GetService<ILogger<MqttInfluxBridge>>()));
        services.AddMetrics();
        services.AddSingleton(provider => new BridgeMetrics(provider.GetRequiredService<IMeterFactory>(), provider.GetRequiredService<MqttInfluxBridge>().Statistics));
        services.AddHostedService(provider => new BridgeHostedService(provider.GetRequiredService<MqttInfluxBridge>(), provider.GetRequiredService<BridgeMetrics>()));
        return services;
    }

    // The metrics are held so their instruments exist from start-up (the host's IMeterFactory disposes the meter).
    private sealed class BridgeHostedService(MqttInfluxBridge bridge, BridgeMetrics metrics) : IHostedService
    {
        public BridgeMetrics Metrics { get; } = metrics;

        public Task StartAsync(CancellationToken cancellationToken) => bridge.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => bridge.StopAsync(cancellationToken);
    }
}
