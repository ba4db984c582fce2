using System.Diagnostics.Metrics;
using CrampSense.Bridge.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class BridgeMetricsTests
{
    [Fact]
    public void Instruments_ReportTheSameCountsAsTheStatistics()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var statistics = new BridgeStatistics();
        using var metrics = new BridgeMetrics(factory, statistics);
        using var received = Collector(factory, "crampsense.bridge.messages.received");
        using var written = Collector(factory, "crampsense.bridge.points.written");
        using var batches = Collector(factory, "crampsense.bridge.batches.written");
        using var acknowledged = Collector(factory, "crampsense.bridge.messages.acknowledged");
        using var deadLettered = Collector(factory, "crampsense.bridge.messages.dead_lettered");
        using var failures = Collector(factory, "crampsense.bridge.write.failures");
        using var shed = Collector(factory, "crampsense.bridge.messages.shed");
        using var inFlight = Collector(factory, "crampsense.bridge.messages.in_flight");
        using var peak = Collector(factory, "crampsense.bridge.messages.unacknowledged.peak");

        for (var i = 0; i < 4; i++)
        {
            statistics.OnReceived();
            statistics.OnQueued();
            statistics.OnUnacknowledgedReceived();
        }

        statistics.OnWritten(3);
        statistics.OnLeftQueue(3);
        statistics.OnAcknowledged();
        statistics.OnAcknowledged();
        statistics.OnDeadLettered();
        statistics.OnWriteFailed();
        statistics.OnShed();
        statistics.OnShed();

        Assert.Equal(4, Last(received));
        Assert.Equal(3, Last(written));
        Assert.Equal(1, Last(batches));
        Assert.Equal(2, Last(acknowledged));
        Assert.Equal(1, Last(deadLettered));
        Assert.Equal(1, Last(failures));
        Assert.Equal(2, Last(shed));
        Assert.Equal(1, Last(inFlight));
        Assert.Equal(4, Last(peak));
        Assert.Equal(statistics.Received, Last(received));
    }

    [Fact]
    public async Task AddCrampSenseBridge_RegistersTheMetricsOnTheBridgesStatistics()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["InfluxDB:Url"] = "http://127.0.0.1:1",
            ["InfluxDB:Token"] = "t",
            ["InfluxDB:Org"] = "o",
            ["InfluxDB:Bucket"] = "b",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddCrampSenseBridge(configuration).BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var received = Collector(factory, "crampsense.bridge.messages.received");
        _ = services.GetRequiredService<BridgeMetrics>();

        services.GetRequiredService<MqttInfluxBridge>().Statistics.OnReceived();

        Assert.Equal(1, Last(received));
    }

    private static MetricCollector<long> Collector(IMeterFactory factory, string instrument) => new(factory, BridgeMetrics.MeterName, instrument);

    private static long Last(MetricCollector<long> collector)
    {
        collector.RecordObservableInstruments();
        return Assert.IsType<long>(collector.LastMeasurement?.Value);
    }
}
