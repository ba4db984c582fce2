using CrampSense.Detection;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using CrampSense.Wearable.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class DetectionSessionTests
{
    [Fact]
    public void Process_NinetySecondsOfANightCramp_GivesTheCrampTelemetryEverySecondAndATickEvery30Seconds()
    {
        var output = new ItemList();

        SimulatedRun.Run("night-cramp", 1, TimeSpan.FromSeconds(90), output);

        var started = Assert.Single(output.Items.OfType<DetectorEventItem>(), e => e.Event.Type == CrampEventKind.CrampStarted);
        Assert.Equal("calf", started.Event.Site);
        Assert.Equal(DetectionSession.EmittedSeconds(started.Event), started.Seconds);
        Assert.InRange(output.Items.OfType<TelemetryItem>().Count(), 89, 90);
        Assert.All(output.Items.OfType<TelemetryItem>(), t => Assert.Equal(4, t.Sites.Count));
        Assert.InRange(output.Items.OfType<CoachTickItem>().Count(), 2, 3); // 30 s, 60 s (and 90 s at the very end)
        Assert.Contains(output.Items, i => i is ActivityItem);
    }

    [Theory]
    [InlineData(120, false)]
    [InlineData(10, true)]
    public void DeclareExercise_OverTheNightCramp_MakesTheContractionVoluntaryOnlyUntilThen(double untilSeconds, bool crampDetected)
    {
        var items = new ItemList();

        SimulatedRun.Run("night-cramp", 1, TimeSpan.FromSeconds(90), items, prepare: s => s.DeclareExercise(untilSeconds));

        Assert.Equal(crampDetected, items.Items.OfType<DetectorEventItem>().Any(e => e.Event.Type == CrampEventKind.CrampStarted));
    }

    [Fact]
    public void Process_ContinuingAnEarlierSession_ItemsFollowOnFromItsSeconds()
    {
        var output = new ItemList();

        var session = SimulatedRun.Run("rest", 1, TimeSpan.FromSeconds(10), output, continueFromSeconds: 1000);

        var first = output.Items.OfType<TelemetryItem>().First();
        Assert.InRange(first.Seconds, 1000, 1001.1);
        Assert.InRange(session.SessionSeconds, 1009.9, 1010.1);
    }

    [Fact]
    public void Process_SteadyStateBetweenTelemetryPeriods_AllocatesNothing()
    {
        // Per frame and per window the session allocates nothing; only a closing telemetry period, an event, an
        // activity report, a tick or a snapshot makes an item. After 20.3 s of warm-up (past the period that closes at
        // about 20 s) the next 500 frames (to 20.8 s) complete windows but close no period (21 s), tick (30 s) or report (60 s).
        ItemList output = null!;
        int itemsBefore = 0;
        int windows = 0;
        long allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var recording = Simulator.Start(new SimulationRequest { Scenario = "rest", Seed = 7201, Duration = TimeSpan.FromSeconds(40), Sites = ["calf", "shin"] });
            output = new ItemList();
            var session = new DetectionSession(recording.Layout, SimulatedRun.Model(), new CrampDetectorOptions { Device = "pi-01" }, output);
            var frame = recording.Layout.CreateFrame();
            for (int n = 0; n < 20_300; n++)
            {
                recording.TryReadFrame(frame);
                session.Process(frame);
            }

            var frames = new RecordingFrame[500];
            for (int n = 0; n < frames.Length; n++)
            {
                frames[n] = recording.Layout.CreateFrame();
                recording.TryReadFrame(frames[n]);
            }

            itemsBefore = output.Items.Count;
            windows = 0;
            return () =>
            {
                foreach (var f in frames)
                {
                    windows += session.Process(f) ? 1 : 0;
                }
            };
        });

        Assert.InRange(windows, 9, 10);
        Assert.Equal(itemsBefore, output.Items.Count);
        Assert.Equal(0, allocated);
    }
}
