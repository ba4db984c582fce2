using System.Text.Json.Nodes;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Messaging.Tests;

/// <summary>
/// The publisher over TLS with a client certificate (mutual TLS) against mosquitto, with certificates made by openssl
/// for the test: a CA, a server certificate for 127.0.0.1 and a client certificate.
/// </summary>
public sealed class MqttPublisherTlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly string _folder = Directory.CreateTempSubdirectory("crampsense-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Publish_OverMutualTls_WithCaFileAndClientCertificate_Arrives()
    {
        var ct = TestContext.Current.CancellationToken;
        await MakeCertificatesAsync("ca", ct);
        await using var broker = await MosquittoBroker.StartAsync(ct, listenerOptions: TlsListener());
        var device = TestPublishers.NewDevice();
        var options = TlsOptions(broker.Port, device, Path.Combine(_folder, "ca.crt"));
        using var sub = await MosquittoSub.StartAsync(broker.Port, new ContractTopics(device).Event, 1, 20, "mqttv5", ct, tlsFolder: _folder);
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            var started = Samples.Started(device);
            await publisher.PublishEventAsync(started, ct);

            var received = (await sub.CompletionAsync(ct)).Single();
            Assert.Equal(started.Id, (string?)JsonNode.Parse(received.Payload)!["id"]);
            SchemaValidator.AssertValid(received.Payload);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public async Task Connect_ServerCertificateFromAnotherCa_ReportsTheTlsFailureAndKeepsTheEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await MakeCertificatesAsync("ca", ct);
        await MakeCaAsync("other-ca", ct);
        await using var broker = await MosquittoBroker.StartAsync(ct, listenerOptions: TlsListener());
        var device = TestPublishers.NewDevice();
        var options = TlsOptions(broker.Port, device, Path.Combine(_folder, "other-ca.crt"));
        await using var publisher = MqttPublisher.Create(options);
        try
        {
            await publisher.StartAsync(ct);
            await publisher.PublishEventAsync(Samples.Started(device), ct);
            await Poll.UntilAsync(() => publisher.LastConnectionError is not null, Timeout, "a failed TLS connect", ct);

            Assert.False(publisher.IsConnected);
            Assert.Equal(1, publisher.Outbox.Statistics.Pending);
        }
        finally
        {
            await publisher.StopAsync(ct);
            TestPublishers.DeleteOutbox(options);
        }
    }

    [Fact]
    public void Create_CaFileThatIsNotPem_ThrowsNamingTheKey()
    {
        var bogus = Path.Combine(_folder, "bogus.crt");
        File.WriteAllText(bogus, "not a certificate");
        File.WriteAllText(Path.Combine(_folder, "client.crt"), "");
        File.WriteAllText(Path.Combine(_folder, "client.key"), "");
        var options = TlsOptions(8883, "pi-01", bogus);

        var ex = Assert.Throws<MessagingConfigurationException>(() => MqttPublisher.Create(options));

        Assert.Contains("Mqtt:CaFile", ex.Message);
        TestPublishers.DeleteOutbox(options);
    }

    private MessagingOptions TlsOptions(int port, string device, string caFile)
    {
        var basic = TestPublishers.Options(port, device);
        return new MessagingOptions
        {
            Host = basic.Host,
            Port = port,
            DeviceId = device,
            OutboxPath = basic.OutboxPath,
            ReconnectMinDelay = basic.ReconnectMinDelay,
            ReconnectMaxDelay = basic.ReconnectMaxDelay,
            OperationTimeout = basic.OperationTimeout,
            UseTls = true,
            CaFile = caFile,
            ClientCertFile = Path.Combine(_folder, "client.crt"),
            ClientKeyFile = Path.Combine(_folder, "client.key"),
        };
    }

    private string[] TlsListener() =>
    [
        $"cafile {_folder}/ca.crt",
        $"certfile {_folder}/server.crt",
        $"keyfile {_folder}/server.key",
        "require_certificate true",
    ];

    private async Task MakeCaAsync(string name, CancellationToken ct) =>
        await OpenSslAsync(ct, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", $"/CN=CrampSense test {name}",
            "-keyout", $"{_folder}/{name}.key", "-out", $"{_folder}/{name}.crt");

    private async Task MakeCertificatesAsync(string ca, CancellationToken ct)
    {
        await MakeCaAsync(ca, ct);
        File.WriteAllText(Path.Combine(_folder, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        foreach (var (name, extensions) in new[] { ("server", (string?)$"{_folder}/server.ext"), ("client", null) })
        {
            await OpenSslAsync(ct, "req", "-newkey", "rsa:2048", "-nodes", "-subj", $"/CN={name}", "-keyout", $"{_folder}/{name}.key", "-out", $"{_folder}/{name}.csr");
            string[] sign = ["x509", "-req", "-in", $"{_folder}/{name}.csr", "-CA", $"{_folder}/{ca}.crt", "-CAkey", $"{_folder}/{ca}.key",
                "-CAcreateserial", "-days", "2", "-out", $"{_folder}/{name}.crt"];
            await OpenSslAsync(ct, extensions is null ? sign : [.. sign, "-extfile", extensions]);
        }
    }

    private static async Task OpenSslAsync(CancellationToken ct, params string[] arguments)
    {
        var (exit, output) = await Tools.RunAsync(Tools.Require("openssl"), arguments, ct);
        Assert.True(exit == 0, $"openssl {string.Join(' ', arguments)}: {output}");
    }
}
