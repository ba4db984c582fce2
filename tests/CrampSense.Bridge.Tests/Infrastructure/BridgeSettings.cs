using System.Globalization;
using CrampSense.Bridge.Configuration;
using Microsoft.Extensions.Configuration;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>Bridge configuration for tests: the keys a deployment would set, pointing at the test servers.</summary>
internal static class BridgeSettings
{
    public static Dictionary<string, string?> For(int mqttPort, Uri influxUrl, string instance, string shareGroup) => new()
    {
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
        ["Mqtt:ReconnectMinSeconds"] = "0.1",
        ["Mqtt:ReconnectMaxSeconds"] = "0.5",
        ["InfluxDB:Url"] = influxUrl.ToString(),
        ["InfluxDB:Token"] = "test-token-not-secret",
        ["InfluxDB:Org"] = "crampsense",
        ["InfluxDB:Bucket"] = "crampsense",
        ["InfluxDB:TimeoutSeconds"] = "5",
        ["Bridge:InstanceId"] = instance,
        ["Bridge:ShareGroup"] = shareGroup,
        ["Bridge:BatchSize"] = "500",
        ["Bridge:FlushIntervalMilliseconds"] = "50",
        ["Bridge:MaxInFlight"] = "2000",
        ["Bridge:RetryMinSeconds"] = "0.1",
        ["Bridge:RetryMaxSeconds"] = "0.5",
        ["Bridge:SessionExpirySeconds"] = "120",
        ["Bridge:StatusIntervalSeconds"] = "1",
    };

    public static BridgeOptions Options(Dictionary<string, string?> settings) =>
        BridgeOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    /// <summary>The settings as command-line arguments for the crampsense-bridge process.</summary>
    public static string[] Arguments(Dictionary<string, string?> settings) =>
        [.. settings.Select(s => $"--{s.Key}={s.Value}")];
}
