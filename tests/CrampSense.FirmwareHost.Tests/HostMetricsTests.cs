using System.Diagnostics.Metrics;
using CrampSense.FirmwareHost.Pipeline;
using CrampSense.FirmwareHost.Tests.Infrastructure;
using CrampSense.Messaging.Publishing;
using CrampSense.Sensors.Sampling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

public sealed class HostMetricsTests
{
    [Fact]
    public void Instruments_ReadThePipelineState()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var state = new PipelineState();
        using var metrics = new HostMetrics(factory, state);
        using var frames = Collector<long>(factory, "crampsense.host.frames");
        using var windows = Collector<long>(factory, "crampsense.host.windows");
        using var events = Collector<long>(factory, "crampsense.host.events");
        using var prompts = Collector<long>(factory, "crampsense.host.prompts");
        using var session = Collector<double>(factory, "crampsense.host.session.time");

        state.OnFrames(1000, 1.0);
        state.OnFrames(500, 1.5);
        state.OnWindow([]);
        state.OnEvent("cramp_started calf");
        state.OnEvent("cramp_ended calf");
        state.OnPrompt("stretch calf");

        Assert.Equal(1500, Last(frames));
        Assert.Equal(1, Last(windows));
        Assert.Equal(2, Last(events));
        Assert.Equal(1, Last(prompts));
        Assert.Equal(1.5, Last(session));
    }

    [Fact]
    public void LostSlots_CountEverySourceSessionSinceStart_ByReason()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var state = new PipelineState();
        using var metrics = new HostMetrics(factory, state);
        using var lost = Collector<long>(factory, "crampsense.sampling.slots.lost");
        var first = new SamplingStatistics(1000, TimeSpan.TicksPerSecond);
        state.OnSourceOpened(first);
        first.RecordDropped(3);
        first.RecordFaulted();
        Assert.Equal((3L, 1L, 0L), ByReason(lost));

        state.OnSourceClosed(first.Snapshot());
        var second = new SamplingStatistics(1000, TimeSpan.TicksPerSecond);
        state.OnSourceOpened(second);
        second.RecordDropped(2);
        second.RecordHandOffDropped();

        Assert.Equal((5L, 1L, 1L), ByReason(lost));
        Assert.Equal((5L, 1L, 1L), state.LostSamples);
    }

    [Fact]
    public async Task Service_SimulatedNight_PublishesItsCountsAndThePublishersOnTheHostsMeters()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await TestBroker.StartAsync(ct);
        using var host = TestHosts.Build(TestHosts.Simulated(TestHosts.NewDevice(), broker.Port, TestHosts.TempPath("outbox.db")));
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var frames = Collector<long>(factory, "crampsense.host.frames", HostMetrics.MeterName);
        using var events = Collector<long>(factory, "crampsense.host.events", HostMetrics.MeterName);
        using var connections = Collector<long>(factory, "crampsense.mqtt.connections", PublisherMetrics.MeterName);

        await host.StartAsync(ct);
        await host.WaitForShutdownAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

        var state = host.Services.GetRequiredService<PipelineState>();
        Assert.True(state.Frames > 0);
        Assert.Equal(state.Frames, Last(frames));
        Assert.Equal(state.EventCount, Last(events));
        Assert.True(Last(events) >= 2, "the default night has a cramp: started and ended");
        Assert.True(Last(connections) >= 1, "the publisher connected to the broker at least once");
    }

    private static (long Dropped, long Faulted, long HandOff) ByReason(MetricCollector<long> collector)
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        var byReason = collector.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["reason"]!, m => m.Value);
        return (byReason["dropped"], byReason["faulted"], byReason["handoff"]);
    }

    private static MetricCollector<T> Collector<T>(IMeterFactory factory, string instrument, string meter = HostMetrics.MeterName)
        where T : struct => new(factory, meter, instrument);

    private static T Last<T>(MetricCollector<T> collector)
        where T : struct
    {
        collector.RecordObservableInstruments();
        return Assert.IsType<T>(collector.LastMeasurement?.Value);
    }
}
