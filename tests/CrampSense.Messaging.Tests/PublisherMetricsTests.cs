using System.Diagnostics.Metrics;
using CrampSense.Messaging.Publishing;
using CrampSense.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace CrampSense.Messaging.Tests;

public sealed class PublisherMetricsTests
{
    [Fact]
    public async Task Instruments_PublisherNeverConnected_ReportItsQueuedMessagesAsPendingAndNoConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var options = TestPublishers.Options(MosquittoBroker.FreePort(), device);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        await using (var publisher = MqttPublisher.Create(options))
        {
            using var metrics = new PublisherMetrics(factory, publisher);
            using var pending = Collector(factory, "crampsense.outbox.pending");
            using var bytes = Collector(factory, "crampsense.outbox.pending.size");
            using var connections = Collector(factory, "crampsense.mqtt.connections");
            using var connected = Collector(factory, "crampsense.mqtt.connected");
            using var dropped = Collector(factory, "crampsense.outbox.dropped");

            var queued = await TestPublishers.PublishOneOfEachAsync(publisher, device, ct);

            Assert.Equal(queued.Count, Last(pending));
            Assert.Equal(publisher.Outbox.Statistics.PendingBytes, Last(bytes));
            Assert.True(Last(bytes) > 0);
            Assert.Equal(0, Last(connections));
            Assert.Equal(0, Last(connected));
            dropped.RecordObservableInstruments();
            var byClass = dropped.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["class"]!, m => m.Value);
            Assert.Equal(["event", "fault", "prompt", "telemetry"], byClass.Keys.Order());
            Assert.All(byClass.Values, v => Assert.Equal(0, v));
        }

        TestPublishers.DeleteOutbox(options);
    }

    [Fact]
    public async Task AddCrampSenseMessaging_AfterDeliveryThroughTheEmbeddedBroker_ReportsAConnectionAndNothingPending()
    {
        var ct = TestContext.Current.CancellationToken;
        var device = TestPublishers.NewDevice();
        var outbox = TestPublishers.TempOutbox();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Device:Id"] = device,
            ["Mqtt:Broker:Port"] = MosquittoBroker.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Outbox:Path"] = outbox,
        }).Build();
        await using (var provider = new ServiceCollection().AddCrampSenseMessaging(configuration).BuildServiceProvider())
        {
            var factory = provider.GetRequiredService<IMeterFactory>();
            using var pending = Collector(factory, "crampsense.outbox.pending");
            using var connections = Collector(factory, "crampsense.mqtt.connections");
            using var connected = Collector(factory, "crampsense.mqtt.connected");
            var hosted = provider.GetServices<IHostedService>().Single();
            var publisher = provider.GetRequiredService<MqttPublisher>();
            await hosted.StartAsync(ct);
            try
            {
                await publisher.PublishEventAsync(Samples.Started(device), ct);
                await publisher.WaitUntilDeliveredAsync(ct);

                Assert.Equal(0, Last(pending));
                Assert.Equal(1, Last(connections));
                Assert.Equal(1, Last(connected));
            }
            finally
            {
                await hosted.StopAsync(ct);
            }
        }

        Directory.Delete(Path.GetDirectoryName(outbox)!, recursive: true);
    }

    private static MetricCollector<long> Collector(IMeterFactory factory, string instrument) => new(factory, PublisherMetrics.MeterName, instrument);

    private static long Last(MetricCollector<long> collector)
    {
        collector.RecordObservableInstruments();
        return Assert.IsType<long>(collector.LastMeasurement?.Value);
    }
}
