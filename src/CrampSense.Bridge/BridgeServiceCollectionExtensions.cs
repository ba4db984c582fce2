using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Pipeline;
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
    /// naming it), and registers <see cref="BridgeOptions"/>, the <see cref="MqttInfluxBridge"/> singleton and a hosted
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
        services.AddHostedService(provider => new BridgeHostedService(provider.GetRequiredService<MqttInfluxBridge>()));
        return services;
    }

    private sealed class BridgeHostedService(MqttInfluxBridge bridge) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => bridge.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => bridge.StopAsync(cancellationToken);
    }
}
