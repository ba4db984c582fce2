using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class BridgeOptionsTests
{
    private static Dictionary<string, string?> Valid() => BridgeSettings.For(1883, new Uri("http://influx.example:8086"), "b1", "g1");

    private static BridgeConfigurationException Invalid(Dictionary<string, string?> settings) =>
        Assert.Throws<BridgeConfigurationException>(() => BridgeSettings.Options(settings));

    [Fact]
    public void FromConfiguration_TestSettings_ReadsEveryKey()
    {
        var options = BridgeSettings.Options(Valid());

        Assert.Equal("127.0.0.1", options.Mqtt.EffectiveHost);
        Assert.Equal(new Uri("http://influx.example:8086"), options.InfluxUrl);
        Assert.Equal("crampsense", options.InfluxOrg);
        Assert.Equal(500, options.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.FlushInterval);
        Assert.Equal(2000, options.MaxInFlight);
        Assert.Equal(BridgeOptions.DefaultReceiveMaximum, options.ReceiveMaximum);
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.Linger);
        Assert.Equal("crampsense-bridge-b1", options.ClientId);
        Assert.Equal("crampsense/v1/_bridge/b1/status", options.StatusTopic);
        Assert.Equal(
            ["$share/g1/crampsense/v1/+/status", "$share/g1/crampsense/v1/+/event", "$share/g1/crampsense/v1/+/prompt",
             "$share/g1/crampsense/v1/+/telemetry", "$share/g1/crampsense/v1/+/fault"],
            options.TopicFilters);
    }

    [Fact]
    public void FromConfiguration_InstanceIdConfigured_KeepsTheSession()
    {
        var options = BridgeSettings.Options(Valid());

        Assert.True(options.PersistentSession);
    }

    [Fact]
    public void FromConfiguration_NoInstanceId_UsesTheHostNameWithACleanSession()
    {
        var settings = Valid();
        settings.Remove("Bridge:InstanceId");

        var options = BridgeSettings.Options(settings);

        Assert.False(options.PersistentSession);
        Assert.Equal(BridgeOptions.DefaultInstanceId(), options.InstanceId);
    }

    [Fact]
    public void FromConfiguration_NothingSet_ListsEveryRequiredKey()
    {
        var error = Invalid([]);

        Assert.Contains(error.Problems, p => p.StartsWith("Mqtt:Host:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("InfluxDB:Url:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("InfluxDB:Token:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("InfluxDB:Org:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("InfluxDB:Bucket:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("InfluxDB:Url", "influx:8086", "InfluxDB:Url: 'influx:8086' is not an absolute http")]
    [InlineData("Bridge:BatchSize", "0", "Bridge:BatchSize: '0' is not a whole number in 1 … 100000.")]
    [InlineData("Bridge:MaxInFlight", "70000", "Bridge:MaxInFlight: '70000' is not a whole number in 1 … 65535.")]
    [InlineData("Bridge:MaxInFlight", "100", "Bridge:MaxInFlight: 100 is below Bridge:BatchSize (500)")]
    [InlineData("Bridge:FlushIntervalMilliseconds", "soon", "Bridge:FlushIntervalMilliseconds: 'soon' is not a number")]
    [InlineData("Bridge:LingerMilliseconds", "-1", "Bridge:LingerMilliseconds: '-1' is not a number")]
    [InlineData("Bridge:ReceiveMaximum", "0", "Bridge:ReceiveMaximum: '0' is not a whole number in 1 … 65535.")]
    [InlineData("Bridge:RetryMaxSeconds", "0.05", "Bridge:RetryMaxSeconds: must not be below Bridge:RetryMinSeconds.")]
    [InlineData("Bridge:InstanceId", "Bridge One", "Bridge:InstanceId: 'Bridge One' must be")]
    [InlineData("Bridge:ShareGroup", "a/b", "Bridge:ShareGroup: 'a/b' must be")]
    [InlineData("Mqtt:Port", "99999", "Mqtt:Port: 99999 is not a TCP port")]
    public void FromConfiguration_BadValue_NamesTheKey(string key, string value, string expected)
    {
        var settings = Valid();
        settings[key] = value;

        var error = Invalid(settings);

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfiguration_TokenFile_WinsOverToken()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file-token\n");
            var settings = Valid();
            settings["InfluxDB:TokenFile"] = file;

            Assert.Equal("from-file-token", BridgeSettings.Options(settings).InfluxToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void FromConfiguration_MissingTokenFile_NamesTheKeyAndFile()
    {
        var settings = Valid();
        settings["InfluxDB:TokenFile"] = "/nonexistent/crampsense-token";

        var error = Invalid(settings);

        Assert.Contains(error.Problems, p => p.StartsWith("InfluxDB:TokenFile: cannot read '/nonexistent/crampsense-token'", StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfiguration_InvalidSettings_NeverShowTheToken()
    {
        var settings = Valid();
        settings["InfluxDB:Token"] = "s3cret-token-value";
        settings["InfluxDB:Url"] = "nope";

        var error = Invalid(settings);

        Assert.DoesNotContain("s3cret-token-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token-value", BridgeSettings.Options(Valid()).ToString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_EnvironmentVariablesWithPrefix_AreRead()
    {
        var variables = new Dictionary<string, string>
        {
            ["CRAMPSENSE_Mqtt__Host"] = "broker.example",
            ["CRAMPSENSE_InfluxDB__Url"] = "http://influx.example:8086",
            ["CRAMPSENSE_InfluxDB__Token"] = "env-token",
            ["CRAMPSENSE_InfluxDB__Org"] = "org-from-env",
            ["CRAMPSENSE_InfluxDB__Bucket"] = "bucket-from-env",
            ["CRAMPSENSE_Bridge__InstanceId"] = "env-bridge",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(BridgeHost.EnvironmentPrefix).Build();

            var options = BridgeOptions.FromConfiguration(configuration);

            Assert.Equal("broker.example", options.Mqtt.Host);
            Assert.Equal("env-token", options.InfluxToken);
            Assert.Equal("org-from-env", options.InfluxOrg);
            Assert.Equal("bucket-from-env", options.InfluxBucket);
            Assert.Equal("crampsense-bridge-env-bridge", options.ClientId);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
