using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class ClipLabellingTests
{
    private static readonly ClipLabel s_label = new()
    {
        Intervals = [new TruthInterval(TruthKind.Fault, "foot", 1, 2), new TruthInterval(TruthKind.Cramp, "calf", 60, 84.5)],
        Origin = ClipLabel.Detected,
        Trigger = ClipRecorder.CrampTrigger,
        EventId = "pi-01:calf:cramp:123456",
        Device = "pi-01",
        SourceStartSeconds = 63.456,
        RecordedAt = new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void Relabel_AnotherKindAndSite_ReplacesTheEventIntervalKeepsTheOthersAndMarksItRelabelled()
    {
        var relabelled = ClipLabelling.Relabel(s_label, TruthKind.Voluntary, "foot");

        Assert.Equal(ClipStatus.Relabelled, relabelled.Status);
        Assert.Equal([new TruthInterval(TruthKind.Fault, "foot", 1, 2), new TruthInterval(TruthKind.Voluntary, "foot", 60, 84.5)], relabelled.Intervals);
        Assert.Equal((s_label.EventId, s_label.Trigger, s_label.SourceStartSeconds), (relabelled.EventId, relabelled.Trigger, relabelled.SourceStartSeconds));
    }

    [Fact]
    public void Relabel_WithoutSite_KeepsTheEventsSite()
    {
        var relabelled = ClipLabelling.Relabel(s_label, TruthKind.Artifact);

        Assert.Equal(new TruthInterval(TruthKind.Artifact, "calf", 60, 84.5), relabelled.Intervals[^1]);
    }

    [Theory]
    [InlineData(TruthKind.Prodrome)]
    [InlineData(TruthKind.Rest)]
    public void Relabel_AKindThatIsNoLabel_IsRefusedNamingTheKinds(TruthKind kind)
    {
        var error = Assert.Throws<ArgumentException>(() => ClipLabelling.Relabel(s_label, kind));

        Assert.Contains("cramp, voluntary, artifact", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingIntervals_ARejectedCramp_IsTheWearersVoluntaryActivity()
    {
        var rejected = s_label.With(ClipStatus.Rejected);

        Assert.Equal([new TruthInterval(TruthKind.Fault, "foot", 1, 2), new TruthInterval(TruthKind.Voluntary, "calf", 60, 84.5)], ClipLabelling.TrainingIntervals(rejected));
        Assert.False(ClipLabelling.IsAnswered(s_label));
        Assert.True(ClipLabelling.IsAnswered(rejected));
    }

    [Theory]
    [InlineData(ClipStatus.Confirmed)]
    [InlineData(ClipStatus.Unconfirmed)]
    public void TrainingIntervals_AConfirmedOrUnansweredCramp_StaysACramp(ClipStatus status)
    {
        Assert.Equal(s_label.Intervals, ClipLabelling.TrainingIntervals(s_label.With(status)));
    }
}
