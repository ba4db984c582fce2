using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Detection.Tests;

public sealed class JsonLinesEventSinkTests
{
    [Fact]
    public void OnEvent_WritesOneLinePerEvent_ThatReadGivesBack()
    {
        var windows = new AssessmentScript().Rest(10).Cramp(8).Rest(2).Fault(1, SignalQuality.Flat).Rest(2).Windows;
        using var writer = new StringWriter();
        var sink = new JsonLinesEventSink(writer);
        var tracker = new CrampEventTracker("dev1", "calf", sink);
        foreach (var window in windows)
        {
            tracker.Process(window);
        }

        string text = writer.ToString();
        var read = JsonLinesEventSink.Read(new StringReader(text), "replay.jsonl");

        Assert.Equal(3, sink.Count);
        Assert.Equal(3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal([CrampEventKind.CrampStarted, CrampEventKind.CrampEnded, CrampEventKind.SignalFault], read.Select(e => e.Type));
        Assert.StartsWith("{\"type\":\"cramp_started\",\"id\":\"dev1:calf:cramp:10000\",", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadLine_ThrowsNamingSourceAndLine()
    {
        string text = """
            {"type":"cramp_started","id":"a","device":"d","site":"calf","onset_s":1,"confirmed_s":6}

            {"type":"cramp_ended","id":"a","device":"d","site":"calf","onset_s":"one"}
            """;

        var ex = Assert.Throws<FormatException>(() => JsonLinesEventSink.Read(new StringReader(text), "replay.jsonl"));

        Assert.StartsWith("replay.jsonl line 3: ", ex.Message, StringComparison.Ordinal);
    }
}
