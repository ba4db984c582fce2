using CrampSense.Cli.Plotting;
using Xunit;

namespace CrampSense.Cli.Tests.Plotting;

public sealed class EventMarkerTests
{
    [Fact]
    public void ReadJsonLines_CrampPair_MarksOnsetConfirmationAndEndOnceEach()
    {
        var text = """
            {"type":"cramp_warning","site":"calf","onset_s":2,"confirmed_s":9}
            {"type":"cramp_started","site":"calf","onset_s":12.5,"confirmed_s":17.5}

            {"type":"cramp_ended","site":"calf","onset_s":12.5,"confirmed_s":17.5,"end_s":40.25}
            {"type":"signal_fault","t_s":3}
            {"type":"signal_fault","site":"shin","onset_s":50}
            """;

        var markers = EventMarker.ReadJsonLines(new StringReader(text), "events.jsonl");

        Assert.Equal(
            [
                new EventMarker("cramp_warning", "calf", 9),
                new EventMarker("cramp_started.onset", "calf", 12.5),
                new EventMarker("cramp_started.confirmed", "calf", 17.5),
                new EventMarker("cramp_ended", "calf", 40.25),
                new EventMarker("signal_fault", null, 3),
                new EventMarker("signal_fault", "shin", 50),
            ],
            markers);
    }

    [Theory]
    [InlineData("{\"type\":\"cramp_started\"", "line 2: not valid JSON")]
    [InlineData("[1,2]", "line 2: expected a JSON object")]
    [InlineData("{\"site\":\"calf\",\"t_s\":1}", "line 2: missing string property 'type'")]
    [InlineData("{\"type\":\"cramp_started\",\"site\":\"calf\"}", "line 2: no time property")]
    public void ReadJsonLines_BadLine_ThrowsNamingSourceAndLine(string badLine, string expected)
    {
        var text = "{\"type\":\"cramp_warning\",\"confirmed_s\":1}\n" + badLine + "\n";

        var error = Assert.Throws<FormatException>(() => EventMarker.ReadJsonLines(new StringReader(text), "ev.jsonl"));

        Assert.StartsWith("ev.jsonl ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
