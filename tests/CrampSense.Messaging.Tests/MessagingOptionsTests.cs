using CrampSense.Messaging.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CrampSense.Messaging.Tests;

public sealed class MessagingOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("crampsense-options-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void FromConfiguration_AppSettingsJson_ReadsEveryKey()
    {
        var passwordFile = Path.Combine(_folder, "password");
        File.WriteAllText(passwordFile, "s3cret\n");
        var ca = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(ca, "");
        var json = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(json, $$"""
            {
              "Mqtt": {
                "Host": "broker.local", "Port": 8884, "Username": "pi-01", "PasswordFile": "{{passwordFile}}",
                "UseTls": true, "CaFile": "{{ca}}", "KeepAliveSeconds": 30,
                "Outbox": { "Path": "/var/lib/crampsense/outbox.db", "MaxMegabytes": 8, "MaxAgeDays": 3 }
              },
              "Device": { "Id": "pi-01", "Name": "Left leg", "Sites": [ "calf", "hamstring" ] }
            }
            """);
        var configuration = new ConfigurationBuilder().AddJsonFile(json).Build();

        var options = MessagingOptions.FromConfiguration(configuration);

        Assert.Equal("broker.local", options.Host);
        Assert.Equal(8884, options.EffectivePort);
        Assert.Equal("pi-01", options.Username);
        Assert.Equal("s3cret", options.Password);
        Assert.True(options.UseTls);
        Assert.Equal(ca, options.CaFile);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAlive);
        Assert.Equal(8L * 1024 * 1024, options.OutboxMaxBytes);
        Assert.Equal(TimeSpan.FromDays(3), options.OutboxMaxAge);
        Assert.Equal("pi-01", options.DeviceId);
        Assert.Equal(["calf", "hamstring"], options.Sites);
        Assert.False(options.UsesEmbeddedBroker);
    }

    [Fact]
    public void FromConfiguration_EnvironmentVariablesWithPrefix_AreTheSameKeys()
    {
        var variables = new Dictionary<string, string>
        {
            ["CRAMPSENSE_Mqtt__Host"] = "10.0.0.5",
            ["CRAMPSENSE_Mqtt__Username"] = "u",
            ["CRAMPSENSE_Mqtt__Password"] = "p",
            ["CRAMPSENSE_Device__Id"] = "kitchen-pi",
            ["CRAMPSENSE_Device__Sites"] = "calf, foot",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables("CRAMPSENSE_").Build();
            var options = MessagingOptions.FromConfiguration(configuration);
            Assert.Equal("10.0.0.5", options.Host);
            Assert.Equal(1883, options.EffectivePort);
            Assert.Equal("p", options.Password);
            Assert.Equal("kitchen-pi", options.DeviceId);
            Assert.Equal(["calf", "foot"], options.Sites);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void FromConfiguration_NoHost_UsesTheEmbeddedBrokerOnLoopback()
    {
        var options = MessagingOptions.FromConfiguration(Config(("Device:Id", "pi-01")));
        Assert.True(options.UsesEmbeddedBroker);
        Assert.Equal("127.0.0.1", options.EffectiveHost);
        Assert.Equal(1883, options.EffectivePort);
    }

    [Theory]
    [InlineData("Mqtt:Port", "abc", "Mqtt:Port: 'abc' is not a whole number")]
    [InlineData("Mqtt:Port", "70000", "Mqtt:Port: 70000 is not a TCP port")]
    [InlineData("Mqtt:UseTls", "yes please", "Mqtt:UseTls: 'yes please' is not true or false")]
    [InlineData("Mqtt:KeepAliveSeconds", "-3", "Mqtt:KeepAliveSeconds: '-3' is not a positive number")]
    [InlineData("Mqtt:Host", "mqtt://broker", "Mqtt:Host: 'mqtt://broker' is not a host name")]
    [InlineData("Mqtt:CaFile", "/nonexistent/ca.pem", "Mqtt:CaFile: file '/nonexistent/ca.pem' does not exist")]
    [InlineData("Mqtt:PasswordFile", "/nonexistent/pw", "Mqtt:PasswordFile: cannot read '/nonexistent/pw'")]
    [InlineData("Mqtt:Broker:BindAddress", "everywhere", "Mqtt:Broker:BindAddress: 'everywhere' is not an IP address")]
    [InlineData("Device:Sites", "Calf", "Device:Sites: 'Calf'")]
    public void FromConfiguration_BadValue_ErrorNamesTheKey(string key, string value, string expected)
    {
        var ex = Assert.Throws<MessagingConfigurationException>(() =>
            MessagingOptions.FromConfiguration(Config(("Device:Id", "pi-01"), ("Mqtt:Host", "broker"), (key, value))));
        Assert.Contains(ex.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfiguration_EmptyPasswordFile_IsNoPassword()
    {
        var passwordFile = Path.Combine(_folder, "empty-password");
        File.WriteAllText(passwordFile, "");

        var options = MessagingOptions.FromConfiguration(Config(("Device:Id", "pi-01"), ("Mqtt:PasswordFile", passwordFile)));

        Assert.Null(options.Password);
    }

    [Fact]
    public void FromConfiguration_UsernameWithAnEmptyPasswordFile_NamesMqttPassword()
    {
        var passwordFile = Path.Combine(_folder, "empty-password");
        File.WriteAllText(passwordFile, "\n");

        var ex = Assert.Throws<MessagingConfigurationException>(() =>
            MessagingOptions.FromConfiguration(Config(("Device:Id", "pi-01"), ("Mqtt:Username", "pi-01"), ("Mqtt:PasswordFile", passwordFile))));

        Assert.Contains(ex.Problems, p => p.StartsWith("Mqtt:Password:", StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfiguration_UsernameWithoutPassword_NamesMqttPassword()
    {
        var ex = Assert.Throws<MessagingConfigurationException>(() =>
            MessagingOptions.FromConfiguration(Config(("Device:Id", "pi-01"), ("Mqtt:Username", "pi-01"))));

        Assert.Contains(ex.Problems, p => p.StartsWith("Mqtt:Password: Mqtt:Username is set but no password", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("0.0.0.0", "127.0.0.1")]
    [InlineData("::", "::1")]
    [InlineData("192.168.1.20", "192.168.1.20")]
    public void EffectiveHost_EmbeddedBroker_IsWhereItListens(string bindAddress, string expected)
    {
        var options = new MessagingOptions { DeviceId = "pi-01", BrokerBindAddress = bindAddress };

        Assert.Equal(expected, options.EffectiveHost);
    }

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    public void Validate_BroadcastOrMulticastBindAddress_NamesTheKey(string bindAddress)
    {
        var problems = new MessagingOptions { DeviceId = "pi-01", BrokerBindAddress = bindAddress }.Validate();

        Assert.Contains(problems, p => p.StartsWith("Mqtt:Broker:BindAddress:", StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfiguration_SeveralProblems_ReportsAllOfThem()
    {
        var ex = Assert.Throws<MessagingConfigurationException>(() =>
            MessagingOptions.FromConfiguration(Config(("Device:Id", "Pi 01"), ("Mqtt:Port", "0"), ("Mqtt:Password", "x"))));
        Assert.Contains(ex.Problems, p => p.StartsWith("Device:Id:", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Mqtt:Port:", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Mqtt:Username:", StringComparison.Ordinal));
        Assert.Contains("Device:Id", ex.Message);
    }

    [Fact]
    public void FromConfiguration_MissingDeviceId_SaysItIsRequired()
    {
        var ex = Assert.Throws<MessagingConfigurationException>(() => MessagingOptions.FromConfiguration(Config()));
        Assert.Contains(ex.Problems, p => p.StartsWith("Device:Id: a device id is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TlsFilesWithoutTls_AsksForUseTls()
    {
        var ca = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(ca, "");
        var problems = new MessagingOptions { DeviceId = "pi-01", Host = "b", CaFile = ca }.Validate();
        Assert.Contains(problems, p => p.StartsWith("Mqtt:UseTls:", StringComparison.Ordinal));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (key, value) in values)
        {
            settings[key] = value; // a later value for the same key wins, as with layered configuration
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
