using System.Text.Json.Nodes;
using CrampSense.Messaging.Configuration;
using CrampSense.Contract;
using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace CrampSense.Messaging.Tests;

public sealed class MessagingServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddCrampSenseMessaging_NoHostConfigured_HostedServiceRunsEmbeddedBrokerAndPublisher()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var port = MosquittoBroker.FreePort();
        var outbox = TestPublishers.TempOutbox();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Device:Id"] = device,
            ["Mqtt:Broker:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Outbox:Path"] = outbox,
        }).Build();
        await using var provider = new ServiceCollection().AddCrampSenseMessaging(configuration).BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Single();
        var publisher = provider.GetRequiredService<MqttPublisher>();

        await hosted.StartAsync(ct);
        try
        {
            using var sub = await MosquittoSub.StartAsync(port, new ContractTopics(device).Event, 1, 20, "mqttv5", ct);
            var started = Samples.Started(device);
            await publisher.PublishEventAsync(started, ct);
            var received = (await sub.CompletionAsync(ct)).Single();
            Assert.Equal(started.Id, (string?)JsonNode.Parse(received.Payload)!["id"]);
        }
        finally
        {
            await hosted.StopAsync(ct);
        }

        await provider.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(outbox)!, recursive: true);
    }

    [Fact]
    public void AddCrampSenseMessaging_BadConfiguration_FailsAtRegistrationNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Device:Id"] = "Bad Id" }).Build();
        var ex = Assert.Throws<MessagingConfigurationException>(() => new ServiceCollection().AddCrampSenseMessaging(configuration));
        Assert.Contains("Device:Id", ex.Message);
    }
}
