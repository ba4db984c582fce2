using CrampSense.Detection;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;
using CrampSense.Wearable.Clips;
using CrampSense.Wearable.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class ClipRecorderTests
{
    private const double Rate = 100;
    private static readonly ClipOptions s_short = new() { PreSeconds = 2, PostSeconds = 1, MaxEventSeconds = 5 };
    private static readonly RecordingLayout s_layout = new(Rate, ["calf", "foot"], hasSkinTemperature: true, hasAcceleration: true, new Dictionary<string, string> { ["full_scale_mv"] = "8.25" });

    [Fact]
    public void OnEvent_ACrampThatEnds_GivesOneClipFromPreBeforeOnsetToPostAfterEnd()
    {
        var clips = new List<Clip>();
        var recorder = Recorder(clips);
        StartAndEndACramp(recorder);
        Assert.Empty(clips);

        Feed(recorder, 13.99, 20);

        var clip = Assert.Single(clips);
        Assert.Equal(8, clip.Label.SourceStartSeconds, 6);
        Assert.Equal(0, clip.Frames[0].TimeSeconds);
        Assert.Equal(6, clip.Frames[^1].TimeSeconds, 6);
        Assert.Equal(601, clip.Frames.Count);
        var interval = Assert.Single(clip.Label.Intervals);
        Assert.Equal((TruthKind.Cramp, "calf", 2.0, 5.0), (interval.Kind, interval.Site, Math.Round(interval.StartSeconds, 6), Math.Round(interval.EndSeconds, 6)));
        Assert.Equal((ClipLabel.Detected, ClipStatus.Unconfirmed, ClipRecorder.CrampTrigger, "a"), (clip.Label.Origin, clip.Label.Status, clip.Label.Trigger, clip.Label.EventId));
        Assert.Equal("8.25", clip.Layout.Metadata["full_scale_mv"]);
        Assert.Equal("a", clip.Layout.Metadata["clip.event_id"]);
        Assert.Equal(s_layout.Sites, clip.Layout.Sites);
        Assert.True(clip.Layout.HasAcceleration && clip.Layout.HasSkinTemperature);
        Assert.Equal(0, recorder.PendingCount);
    }

    [Fact]
    public void OnEvent_ACrampLongerThanMaxEventSeconds_IsCutThere()
    {
        var clips = new List<Clip>();
        var recorder = Recorder(clips);
        Feed(recorder, 0, 11);
        recorder.OnEvent(Started("long", 10));

        Feed(recorder, 11, 30);

        var clip = Assert.Single(clips);
        var interval = Assert.Single(clip.Label.Intervals);
        Assert.Equal(2, interval.StartSeconds, 6);
        Assert.Equal(7, interval.EndSeconds, 6); // onset + MaxEventSeconds 5
        Assert.Equal(8, clip.Frames[^1].TimeSeconds, 6); // + PostSeconds 1
    }

    [Fact]
    public void OnEvent_AWarning_GivesAProdromeClip()
    {
        var clips = new List<Clip>();
        var recorder = Recorder(clips);
        Feed(recorder, 0, 12);
        recorder.OnEvent(new CrampEvent { Type = CrampEventKind.CrampWarning, Id = "w", Device = "pi-01", Site = "foot", OnsetSeconds = 9, ConfirmedSeconds = 11.5 });

        Feed(recorder, 12, 15);

        var clip = Assert.Single(clips);
        Assert.Equal(ClipRecorder.WarningTrigger, clip.Label.Trigger);
        var interval = Assert.Single(clip.Label.Intervals);
        Assert.Equal((TruthKind.Prodrome, "foot", 2.0, 4.5), (interval.Kind, interval.Site, Math.Round(interval.StartSeconds, 6), Math.Round(interval.EndSeconds, 6)));
    }

    [Fact]
    public void Report_Now_ClipsAroundTheNextFrameAsReported()
    {
        var clips = new List<Clip>();
        var recorder = Recorder(clips);
        Feed(recorder, 0, 10);

        Assert.True(recorder.Report("user-1", "calf", null));
        Feed(recorder, 10, 12);

        var clip = Assert.Single(clips);
        Assert.Equal((ClipLabel.Reported, ClipRecorder.ReportTrigger, "user-1"), (clip.Label.Origin, clip.Label.Trigger, clip.Label.EventId));
        Assert.Equal(8, clip.Label.SourceStartSeconds, 6);
        Assert.Equal(2, Assert.Single(clip.Label.Intervals).StartSeconds, 6);
    }

    [Fact]
    public void Report_AtATimeOlderThanTheBuffer_IsRefused()
    {
        var recorder = Recorder([]);
        Feed(recorder, 0, 20); // the short buffer holds 8 s

        Assert.False(recorder.Report("user-2", "calf", 5));
        Assert.True(recorder.Report("user-3", "calf", 15));
    }

    [Fact]
    public void Flush_ARunningCramp_IsWrittenWithWhatTheBufferHolds()
    {
        var clips = new List<Clip>();
        var recorder = Recorder(clips);
        Feed(recorder, 0, 11);
        recorder.OnEvent(Started("b", 10));
        Feed(recorder, 11, 12);

        recorder.Flush();

        var clip = Assert.Single(clips);
        Assert.Equal(3.99, clip.Frames[^1].TimeSeconds, 6); // the newest frame, 11.99 s
    }

    [Fact]
    public void Add_WithoutAnEvent_AllocatesNothing()
    {
        var allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var recorder = Recorder([]);
            Feed(recorder, 0, 1);
            return () => Feed(recorder, 1, 30);
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Add_TheFrameThatMakesAClipDue_CopiesNoFrameOnTheDetectionThread()
    {
        // The default spans: a 30 s cramp gives a clip of 120 s, 12 001 frames at 100 Hz. Copying them out (as before)
        // allocated at least 56 B a frame (a RecordingFrame and its EMG array): over 670 kB on the detection thread.
        var clips = new List<Clip>();
        var recorder = new ClipRecorder(s_layout, new ClipOptions(), "pi-01", c => { clips.Add(c); return true; }, new FakeTimeProvider());
        Feed(recorder, 0, 100);
        recorder.OnEvent(Started("a", 100));
        Feed(recorder, 100, 130);
        recorder.OnEvent(Ended("a", 100, 130));
        Feed(recorder, 130, 160);
        Assert.Empty(clips);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Feed(recorder, 160, 160.01);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var clip = Assert.Single(clips);
        Assert.Equal(12_001, clip.Frames.Count);
        Assert.True(allocated < 16_000, $"{allocated} B allocated by the frame that made the clip due");
    }

    [Fact]
    public void Add_AfterAClipIsDue_TheClipReadLaterHoldsTheFramesOfItsSpanAsTheyWere()
    {
        var clips = new List<Clip>();
        var recorder = Recorder(clips);
        StartAndEndACramp(recorder);
        Feed(recorder, 13.99, 14.01);
        var clip = Assert.Single(clips);

        Feed(recorder, 14.01, 60); // the 8 s buffer goes round five times before the writer reads the clip

        Assert.Equal(601, clip.Frames.Count);
        for (var k = 0; k < clip.Frames.Count; k++)
        {
            var n = 800 + k; // the clip starts at 8 s
            var frame = clip.Frames[k];
            Assert.Equal(k / Rate, frame.TimeSeconds, 9);
            Assert.Equal([n % 7, 0], frame.EmgMillivolts);
            Assert.Equal(n % 100 == 0, frame.HasSkinTemperature);
        }

        ((IDisposable)clip.Frames).Dispose();
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClipRecorder(s_layout, new ClipOptions { PostSeconds = -1 }, "pi-01", _ => true, TimeProvider.System));

        Assert.StartsWith("Clips:PostSeconds:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_ANightCrampInASimulatedSession_GivesAClipSpanningTheCramp()
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 1, Duration = TimeSpan.FromSeconds(150) });
        var clips = new List<Clip>();
        var items = new ItemList();
        var options = new ClipOptions { PreSeconds = 20, PostSeconds = 5 };
        var recorder = new ClipRecorder(recording.Layout, options, "pi-01", c => { clips.Add(c); return true; }, new FakeTimeProvider());
        var session = new DetectionSession(recording.Layout, SimulatedRun.Model(), new CrampDetectorOptions { Device = "pi-01" }, new ClipTriggerOutput(items, recorder));
        var frame = recording.Layout.CreateFrame();
        while (recording.TryReadFrame(frame))
        {
            recorder.Add(frame);
            session.Process(frame);
        }

        session.Flush();
        recorder.Flush();

        var started = items.Items.OfType<DetectorEventItem>().First(e => e.Event.Type == CrampEventKind.CrampStarted).Event;
        var ended = items.Items.OfType<DetectorEventItem>().First(e => e.Event.Type == CrampEventKind.CrampEnded).Event;
        var clip = Assert.Single(clips, c => c.Label.Trigger == ClipRecorder.CrampTrigger);
        Assert.Equal(started.Id, clip.Label.EventId);
        Assert.Equal(started.OnsetSeconds - 20, clip.Label.SourceStartSeconds, 2);
        var interval = Assert.Single(clip.Label.Intervals);
        Assert.Equal(started.OnsetSeconds, clip.Label.SourceStartSeconds + interval.StartSeconds, 2);
        Assert.Equal(ended.EndSeconds!.Value, clip.Label.SourceStartSeconds + interval.EndSeconds, 2);
        Assert.Equal(Math.Min(ended.EndSeconds.Value + 5, session.LastRowSeconds), clip.Label.SourceStartSeconds + clip.Frames[^1].TimeSeconds, 2);
    }

    /// <summary>A cramp "a" from 10 to 13 s, fed up to 13.99 s: its clip (to 14 s) is one frame from due.</summary>
    private static void StartAndEndACramp(ClipRecorder recorder)
    {
        Feed(recorder, 0, 11);
        recorder.OnEvent(Started("a", 10));
        Feed(recorder, 11, 13.5);
        recorder.OnEvent(Ended("a", 10, 13));
        Feed(recorder, 13.5, 13.99);
    }

    private static ClipRecorder Recorder(List<Clip> clips) =>
        new(s_layout, s_short, "pi-01", c => { clips.Add(c); return true; }, new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero)));

    private static CrampEvent Started(string id, double onset) =>
        new() { Type = CrampEventKind.CrampStarted, Id = id, Device = "pi-01", Site = "calf", OnsetSeconds = onset, ConfirmedSeconds = onset + 1 };

    private static CrampEvent Ended(string id, double onset, double end) =>
        new() { Type = CrampEventKind.CrampEnded, Id = id, Device = "pi-01", Site = "calf", OnsetSeconds = onset, EndSeconds = end };

    // Frames n / Rate for from <= t < to (whole sample indices, so spans meet without a gap or a repeat).
    private static readonly RecordingFrame s_frame = s_layout.CreateFrame();

    private static void Feed(ClipRecorder recorder, double from, double to)
    {
        for (var n = (long)Math.Round(from * Rate); n < (long)Math.Round(to * Rate); n++)
        {
            s_frame.TimeSeconds = n / Rate;
            s_frame.EmgMillivolts[0] = n % 7;
            s_frame.HasSkinTemperature = n % 100 == 0;
            s_frame.SkinTemperatureCelsius = 31.5f;
            recorder.Add(s_frame);
        }
    }
}
