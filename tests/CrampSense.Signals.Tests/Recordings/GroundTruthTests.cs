using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests.Recordings;

public sealed class GroundTruthTests
{
    [Fact]
    public void Write_ThenRead_ReturnsTheSameIntervals()
    {
        var truth = new GroundTruth(
        [
            new TruthInterval(TruthKind.Cramp, "calf", 12.5, 40.25),
            new TruthInterval(TruthKind.Voluntary, "hamstring", 0, 0.1),
            new TruthInterval(TruthKind.Rest, "forearm_1", 3, 3),
            new TruthInterval(TruthKind.Prodrome, "calf", 1e-3, 2),
            new TruthInterval(TruthKind.Artifact, "foot", 5, 6),
            new TruthInterval(TruthKind.Fault, "foot", 7, 8),
        ]);
        var text = new StringWriter();
        truth.Write(text);

        var read = GroundTruth.Read(new StringReader(text.ToString()), "rec.truth.json");

        Assert.Equal(truth.Intervals, read.Intervals);
        Assert.Contains("\"kind\": \"cramp\"", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"start_s\": 12.5", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DocumentedExample_Parses()
    {
        const string json = """{"version":1,"intervals":[{"kind":"cramp","site":"calf","start_s":10,"end_s":70.5}]}""";

        var truth = GroundTruth.Read(new StringReader(json), "x.truth.json");

        var interval = Assert.Single(truth.Intervals);
        Assert.Equal(new TruthInterval(TruthKind.Cramp, "calf", 10, 70.5), interval);
        Assert.Equal(60.5, interval.DurationSeconds);
    }

    [Theory]
    [InlineData("""{"version":2,"intervals":[]}""", "t.json version: 2 is not supported")]
    [InlineData("""{"intervals":[]}""", "t.json version: is missing")]
    [InlineData("""{"version":1}""", "t.json intervals: is missing or not an array")]
    [InlineData("""[1]""", "t.json (root): must be a JSON object")]
    [InlineData("""{"version":1,"intervals":[5]}""", "t.json intervals[0]: must be an object")]
    [InlineData("""{"version":1,"intervals":[{"kind":"cramp","site":"calf","start_s":0,"end_s":1},{"kind":"spasm","site":"calf","start_s":0,"end_s":1}]}""", "t.json intervals[1].kind: 'spasm' is not one of cramp, voluntary, artifact, prodrome, fault, rest")]
    [InlineData("""{"version":1,"intervals":[{"kind":"cramp","site":"Calf","start_s":0,"end_s":1}]}""", "t.json intervals[0].site: 'Calf' is not a valid site name")]
    [InlineData("""{"version":1,"intervals":[{"kind":"cramp","start_s":0,"end_s":1}]}""", "t.json intervals[0].site: is missing or not a string")]
    [InlineData("""{"version":1,"intervals":[{"kind":"cramp","site":"calf","start_s":"0","end_s":1}]}""", "t.json intervals[0].start_s: is missing or not a finite number")]
    [InlineData("""{"version":1,"intervals":[{"kind":"cramp","site":"calf","start_s":-1,"end_s":1}]}""", "t.json intervals[0].start_s: -1 s is negative")]
    [InlineData("""{"version":1,"intervals":[{"kind":"cramp","site":"calf","start_s":5,"end_s":4}]}""", "t.json intervals[0].end_s: 4 s is before start_s 5 s")]
    public void Read_InvalidContent_ThrowsNamingSourceIndexAndProperty(string json, string expectedStart)
    {
        var error = Assert.Throws<RecordingFormatException>(() => GroundTruth.Read(new StringReader(json), "t.json"));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BrokenJson_ThrowsNamingSourceAndLine()
    {
        var error = Assert.Throws<RecordingFormatException>(() => GroundTruth.Read(new StringReader("{\n\"version\": 1,\n\"intervals\": [\n}"), "t.json"));

        Assert.Equal(4, error.LineNumber);
        Assert.StartsWith("t.json line 4: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rec.csv", "rec.truth.json")]
    [InlineData("data/night.1.csv", "data/night.1.truth.json")]
    [InlineData("rec", "rec.truth.json")]
    [InlineData("dir.v2/rec.csv", "dir.v2/rec.truth.json")]
    public void SidecarPathFor_ReplacesTheExtension(string recording, string expected)
    {
        Assert.Equal(expected, GroundTruth.SidecarPathFor(recording));
    }
}
