using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class ClipLabelTests
{
    private static readonly ClipLabel s_label = new()
    {
        Intervals = [new TruthInterval(TruthKind.Cramp, "calf", 60, 84.5)],
        Origin = ClipLabel.Detected,
        Trigger = ClipRecorder.CrampTrigger,
        EventId = "pi-01:calf:cramp:123456",
        Device = "pi-01",
        SourceStartSeconds = 63.456,
        RecordedAt = new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void ToJson_IsAnOrdinaryTruthSidecarThatGroundTruthReads()
    {
        using var reader = new StringReader(s_label.ToJson());

        var truth = GroundTruth.Read(reader, "clip.truth.json");

        Assert.Equal(s_label.Intervals, truth.Intervals);
    }

    [Fact]
    public void Parse_WhatToJsonWrote_GivesTheSameLabel()
    {
        var relabelled = s_label.With(ClipStatus.Rejected, [new TruthInterval(TruthKind.Voluntary, "calf", 60, 84.5)]);

        var parsed = ClipLabel.Parse(relabelled.ToJson(), "clip.truth.json");

        Assert.Equal(relabelled with { Intervals = [] }, parsed with { Intervals = [] });
        Assert.Equal(relabelled.Intervals, parsed.Intervals);
        Assert.Contains("\"status\": \"rejected\"", relabelled.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_APlainTruthSidecar_NamesTheMissingClipObject()
    {
        var error = Assert.Throws<RecordingFormatException>(() => ClipLabel.Parse("""{"version":1,"intervals":[]}""", "x.truth.json"));

        Assert.Contains("x.truth.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("clip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnUnknownStatus_NamesIt()
    {
        var json = s_label.ToJson().Replace("\"unconfirmed\"", "\"maybe\"", StringComparison.Ordinal);

        var error = Assert.Throws<RecordingFormatException>(() => ClipLabel.Parse(json, "x.truth.json"));

        Assert.Contains("clip.status", error.Message, StringComparison.Ordinal);
        Assert.Contains("'maybe'", error.Message, StringComparison.Ordinal);
    }
}
