using System.Text.RegularExpressions;
using CrampSense.Bridge.Configuration;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace CrampSense.Bridge.Tests;

/// <summary>
/// docker-compose.yml and deploy/, checked without Docker (no daemon or registry here): Debian's docker-compose
/// renders it, every mounted file and referenced variable exists, images are pinned, start order waits for health, and
/// the mosquitto ACL is tried on a real mosquitto.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly string Root = Path.GetDirectoryName(GrafanaDashboardTests.RepositoryFile("CrampSense.sln"))!;

    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<(string Name, YamlMappingNode Service)> Services() =>
        ((YamlMappingNode)Compose()["services"]).Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value));

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    [Fact]
    public async Task DockerComposeConfig_WithTheExampleEnvironment_RendersTheFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var compose = Tools.Require("docker-compose", "docker-compose");

        var (exit, output) = await Tools.RunAsync(compose, ["--project-directory", Root, "--env-file", Path.Combine(Root, ".env.example"), "-f", Path.Combine(Root, "docker-compose.yml"), "config", "--quiet"], ct);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_EveryMountedHostPathAndDockerfile_Exists()
    {
        var checkedPaths = new List<string>();
        foreach (var (name, service) in Services())
        {
            foreach (var volume in (Child(service, "volumes") as YamlSequenceNode)?.Children.Cast<YamlScalarNode>() ?? [])
            {
                var source = volume.Value!.Split(':')[0];
                if (source.StartsWith("./", StringComparison.Ordinal))
                {
                    checkedPaths.Add(source);
                    Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"{name}: mounted '{source}' does not exist");
                }
            }

            if (Child(service, "build") is YamlMappingNode build)
            {
                var dockerfile = ((YamlScalarNode)build["dockerfile"]).Value!;
                Assert.True(Directory.Exists(Path.Combine(Root, ((YamlScalarNode)build["context"]).Value!)), $"{name}: build context");
                Assert.True(File.Exists(Path.Combine(Root, dockerfile)), $"{name}: {dockerfile} does not exist");
            }
        }

        Assert.Contains("./deploy/mosquitto/mosquitto.conf", checkedPaths);
        Assert.Contains("./deploy/influxdb/init-crampsense.sh", checkedPaths);
        Assert.Contains("./deploy/grafana/dashboards", checkedPaths);
    }

    [Fact]
    public void Compose_EveryReferencedVariable_IsInEnvExample()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var defined = File.ReadAllLines(Path.Combine(Root, ".env.example"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim())
            .ToHashSet();

        // "$$" is a literal '$' for the container's shell, not a compose variable.
        var referenced = Variable().Matches(text.Replace("$$", "", StringComparison.Ordinal)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet();

        Assert.NotEmpty(referenced);
        Assert.Empty(referenced.Except(defined));
    }

    [Fact]
    public void EnvExample_HoldsNoRealSecret()
    {
        var passwords = File.ReadAllLines(Path.Combine(Root, ".env.example")).Where(l => l.Contains("PASSWORD=", StringComparison.Ordinal));

        Assert.All(passwords, l => Assert.Contains("change-me", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_ImagesArePinned()
    {
        var images = Services().ToDictionary(s => s.Name, s => ((YamlScalarNode?)Child(s.Service, "image"))?.Value ?? "");

        Assert.Matches(@"^eclipse-mosquitto:2\.0\.\d+$", images["mosquitto"]);
        Assert.Matches(@"^influxdb:2\.7\.\d+$", images["influxdb"]);
        Assert.Matches(@"^grafana/grafana-oss:\d+\.\d+\.\d+$", images["grafana"]);
    }

    [Fact]
    public void Compose_DependenciesWithHealthchecks_AreAwaitedHealthy()
    {
        var services = Services().ToDictionary(s => s.Name, s => s.Service);
        foreach (var (name, service) in services)
        {
            foreach (var dependency in (Child(service, "depends_on") as YamlMappingNode)?.Children.ToList() ?? [])
            {
                var target = ((YamlScalarNode)dependency.Key).Value!;
                var condition = ((YamlScalarNode)((YamlMappingNode)dependency.Value)["condition"]).Value;
                var expected = Child(services[target], "healthcheck") is null ? "service_started" : "service_healthy";
                Assert.True(condition == expected, $"{name} → {target}: {condition}, expected {expected}");
            }
        }

        Assert.NotNull(Child(services["crampsense-bridge"], "depends_on"));
    }

    /// <summary>The named volumes a service mounts, with their mount points.</summary>
    private static Dictionary<string, string> NamedVolumes(YamlMappingNode service) =>
        ((Child(service, "volumes") as YamlSequenceNode)?.Children.Cast<YamlScalarNode>() ?? [])
            .Select(v => v.Value!.Split(':'))
            .Where(parts => !parts[0].StartsWith('.') && !parts[0].StartsWith('/'))
            .ToDictionary(parts => parts[0], parts => parts[1]);

    [Fact]
    public void Compose_BridgeWriteToken_IsInAVolumeGrafanaDoesNotMount()
    {
        var services = Services().ToDictionary(s => s.Name, s => s.Service);
        var bridge = services["crampsense-bridge"];
        var tokenFile = ((YamlScalarNode)((YamlMappingNode)bridge["environment"])["CRAMPSENSE_InfluxDB__TokenFile"]).Value!;
        var (volume, mountPoint) = Assert.Single(NamedVolumes(bridge), v => tokenFile.StartsWith(v.Value + "/", StringComparison.Ordinal));

        Assert.DoesNotContain(volume, NamedVolumes(services["grafana"]).Keys);
        Assert.All(services.Where(s => s.Key is not ("crampsense-bridge" or "influxdb")), s => Assert.DoesNotContain(volume, NamedVolumes(s.Value).Keys));
        // The init script writes the token where InfluxDB mounts that volume, and the bridge reads it there.
        Assert.Equal(mountPoint, NamedVolumes(services["influxdb"])[volume]);
        var script = File.ReadAllText(Path.Combine(Root, "deploy", "influxdb", "init-crampsense.sh"));
        Assert.Contains($"$tokens/{Path.GetRelativePath("/var/lib/crampsense-tokens", tokenFile)}", script, StringComparison.Ordinal);
        var grafanaEntrypoint = string.Join(" ", ((YamlSequenceNode)services["grafana"]["entrypoint"]).Children.Cast<YamlScalarNode>().Select(c => c.Value));
        Assert.Contains($"cat {NamedVolumes(services["grafana"])["grafana-token"]}/grafana.token", grafanaEntrypoint, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Secrets_AreMadeByTheScriptAndIgnoredByGit()
    {
        var script = File.ReadAllText(Path.Combine(Root, "deploy", "make-secrets.sh"));
        var gitignore = File.ReadAllLines(Path.Combine(Root, ".gitignore"));
        var secrets = ((YamlMappingNode)Compose()["secrets"]).Children.Select(c => ((YamlScalarNode)((YamlMappingNode)c.Value)["file"]).Value!).ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, file =>
        {
            Assert.StartsWith("./secrets/", file, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(file), script, StringComparison.Ordinal);
        });
        Assert.Contains("/secrets/", gitignore);
    }

    /// <summary>Runs <paramref name="body"/> with a fresh temp folder, removed afterwards.</summary>
    private static async Task InTempFolderAsync(string prefix, Func<string, Task> body)
    {
        var directory = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            await body(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs deploy/mosquitto/entrypoint.sh outside the container: it only writes the password file into <paramref name="directory"/>.</summary>
    private static Task<(int ExitCode, string Output)> RunEntrypointAsync(string directory, string devices, CancellationToken ct)
    {
        Tools.Require("mosquitto_passwd");
        return Tools.RunAsync("/usr/bin/env",
        [
            "CRAMPSENSE_ENTRYPOINT_NO_EXEC=1", $"MOSQUITTO_PASSWD_DIR={directory}", "MQTT_BRIDGE_PASSWORD=bridge-pw",
            "MQTT_OPERATOR_PASSWORD=operator-pw", $"MQTT_DEVICES={devices}", "sh", Path.Combine(Root, "deploy", "mosquitto", "entrypoint.sh"),
        ], ct);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Entrypoint_PasswordsWithSpacesAndColons_MakeOneUserPerLineInAPrivateFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await InTempFolderAsync("crampsense-passwd-", async directory =>
        {
            var (exit, output) = await RunEntrypointAsync(directory, "dev-c:pa ss\ndev-d:x:y z", ct);

            Assert.True(exit == 0, output);
            var file = Path.Combine(directory, "passwd");
            Assert.Equal(["crampsense-bridge", "crampsense-operator", "dev-c", "dev-d"], File.ReadAllLines(file).Select(l => l.Split(':')[0]));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        });
    }

    [Theory]
    [InlineData("dev-c", "MQTT_DEVICES line 1: no ':'")]
    [InlineData("dev-c:ok\ndev-d:", "MQTT_DEVICES line 2: device 'dev-d' has an empty password")]
    [InlineData("Dev C:pw", "MQTT_DEVICES line 1: 'Dev C' is not a device id")]
    [InlineData("crampsense-bridge:pw", "MQTT_DEVICES line 1: 'crampsense-bridge' is not a device id")]
    public async Task Entrypoint_BadDeviceEntry_FailsNamingTheLineAndNoFileIsLeft(string devices, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await InTempFolderAsync("crampsense-passwd-", async directory =>
        {
            var (exit, output) = await RunEntrypointAsync(directory, devices, ct);

            Assert.Equal(1, exit);
            Assert.Contains(expected, output, StringComparison.Ordinal);
            Assert.DoesNotContain("pw", output.Replace(expected, "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory, "passwd")));
        });
    }

    [Fact]
    public async Task MosquittoAcl_DeviceWritesOnlyItsOwnTopics_BridgeReadsThemAll_OnlyTheOperatorReadsDeadLetters()
    {
        var ct = TestContext.Current.CancellationToken;
        await InTempFolderAsync("crampsense-acl-", async directory =>
        {
            var (made, madeOutput) = await RunEntrypointAsync(directory, "dev-a:a pw", ct);
            Assert.True(made == 0, madeOutput);
            await using var broker = await MosquittoBroker.StartAsync(ct, Path.Combine(directory, "passwd"), listenerOptions: [$"acl_file {Path.Combine(Root, "deploy", "mosquitto", "acl")}"]);
            async Task<IMqttClient> LogInAsync(string user, string password, List<string> received)
            {
                var client = new MqttClientFactory().CreateMqttClient();
                client.ApplicationMessageReceivedAsync += e => { lock (received) { received.Add(e.ApplicationMessage.Topic); } return Task.CompletedTask; };
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCredentials(user, password).Build(), ct);
                return client;
            }

            List<string> bridgeGot = [], deviceGot = [], operatorGot = [];
            using var bridge = await LogInAsync("crampsense-bridge", "bridge-pw", bridgeGot);
            using var device = await LogInAsync("dev-a", "a pw", deviceGot);
            using var operatorClient = await LogInAsync("crampsense-operator", "operator-pw", operatorGot);
            var granted = await bridge.SubscribeAsync("$share/crampsense-bridge/crampsense/v1/+/event", MqttQualityOfServiceLevel.AtLeastOnce, ct);
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, granted.Items.Single().ResultCode);
            foreach (var client in new[] { bridge, device, operatorClient })
            {
                await client.SubscribeAsync(BridgeTopics.DeadLetter, MqttQualityOfServiceLevel.AtLeastOnce, ct);
                await client.SubscribeAsync(BridgeTopics.Status("+"), MqttQualityOfServiceLevel.AtLeastOnce, ct);
            }

            var foreign = await device.PublishStringAsync("crampsense/v1/dev-b/event", "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            var below = await device.PublishStringAsync("crampsense/v1/dev-a/event/extra", "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            var asDevice = await bridge.PublishStringAsync("crampsense/v1/crampsense-bridge/event", "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            var own = await device.PublishStringAsync("crampsense/v1/dev-a/event", "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            var letter = await bridge.PublishStringAsync(BridgeTopics.DeadLetter, "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            // Published after the dead letter by the same client: once it has arrived, so would the dead letter have.
            var sentinel = await bridge.PublishStringAsync(BridgeTopics.Status("acl"), "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);

            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, foreign.ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, below.ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, asDevice.ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.Success, own.ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.Success, letter.ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.Success, sentinel.ReasonCode);
            bool Got(List<string> received, string topic) { lock (received) { return received.Contains(topic); } }
            await Poll.UntilAsync(() => Got(bridgeGot, "crampsense/v1/dev-a/event") && Got(operatorGot, BridgeTopics.DeadLetter) && Got(bridgeGot, BridgeTopics.Status("acl")),
                TimeSpan.FromSeconds(10), () => "the bridge gets the device's event and the sentinel, the operator the dead letter", ct);
            Assert.False(Got(bridgeGot, "crampsense/v1/dev-b/event"));
            Assert.False(Got(bridgeGot, BridgeTopics.DeadLetter));
            Assert.False(Got(deviceGot, BridgeTopics.DeadLetter));
        });
    }

    [GeneratedRegex(@"\$\{(\w+)[^}]*\}|\$(\w+)")]
    private static partial Regex Variable();
}
