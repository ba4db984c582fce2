using System.Text.RegularExpressions;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Messaging.Tests.Infrastructure;
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

    [Fact]
    public async Task MosquittoAcl_DeviceWritesOnlyItsOwnTopics_BridgeReadsThemAll()
    {
        var ct = TestContext.Current.CancellationToken;
        var passwd = Tools.Require("mosquitto_passwd");
        var directory = Directory.CreateTempSubdirectory("crampsense-acl-").FullName;
        try
        {
            var passwordFile = Path.Combine(directory, "passwd");
            await File.WriteAllTextAsync(passwordFile, "", ct);
            foreach (var (user, password) in new[] { ("crampsense-bridge", "bridge-pw"), ("dev-a", "a-pw") })
            {
                var (exit, output) = await Tools.RunAsync(passwd, ["-b", passwordFile, user, password], ct);
                Assert.True(exit == 0, output);
            }

            await using var broker = await MosquittoBroker.StartAsync(ct, passwordFile, listenerOptions: [$"acl_file {Path.Combine(Root, "deploy", "mosquitto", "acl")}"]);
            var received = new List<string>();
            using var bridge = new MqttClientFactory().CreateMqttClient();
            bridge.ApplicationMessageReceivedAsync += e => { lock (received) { received.Add(e.ApplicationMessage.Topic); } return Task.CompletedTask; };
            await bridge.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("crampsense-bridge", "bridge-pw").Build(), ct);
            var granted = await bridge.SubscribeAsync("$share/crampsense-bridge/crampsense/v1/+/event", MqttQualityOfServiceLevel.AtLeastOnce, ct);
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, granted.Items.Single().ResultCode);
            using var device = new MqttClientFactory().CreateMqttClient();
            await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials("dev-a", "a-pw").Build(), ct);

            var foreign = await device.PublishStringAsync("crampsense/v1/dev-b/event", "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            var own = await device.PublishStringAsync("crampsense/v1/dev-a/event", "{}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);

            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, foreign.ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.Success, own.ReasonCode);
            await Poll.UntilAsync(() => { lock (received) { return received.Contains("crampsense/v1/dev-a/event"); } }, TimeSpan.FromSeconds(10), () => "the bridge gets the device's own event", ct);
            lock (received)
            {
                Assert.DoesNotContain("crampsense/v1/dev-b/event", received);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"\$\{(\w+)[^}]*\}|\$(\w+)")]
    private static partial Regex Variable();
}
