using System.Buffers.Binary;
using System.Text;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class PlotCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    /// <summary>Mutated recordings the fuzz test runs through the command (256 here to keep the suite short; 1 024 measured, docs/recording-format.md).</summary>
    private const int MutatedFiles = 256, MutationSeed = 20261202;

    [Fact]
    public async Task Plot_256MutatedRecordings_SucceedsOrExitsWithOneLineNamingTheFile()
    {
        var outcome = await MutatedRecordings.RunAsync(_files, MutatedFiles, MutationSeed, path => ["plot", path, "--out", Path.ChangeExtension(path, ".png")]);

        Assert.True(outcome.Failures.Count == 0, $"{outcome.Failures.Count} failures:\n" + string.Join("\n", outcome.Failures.Take(10)));
        Assert.Equal(MutatedFiles, outcome.Succeeded + outcome.Rejected);
        Assert.InRange(outcome.Succeeded, 1, MutatedFiles - 1);
    }

    [Fact]
    public async Task Plot_TwoSites_WritesOneFigureAtThePathGivenWithAPanelPerSite()
    {
        var recording = WriteRecording("two.csv", ["calf", "hamstring"], seconds: 3);
        var output = Path.Combine(_files.Directory, "two.png");

        var exit = await Run("plot", recording, "--out", output);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());

        // Two site panels of 260 px, temperature and motion of 150 px, no close-up (no cramp).
        Assert.Equal((1600, (2 * 260) + (2 * 150)), PngSize(output));
        Assert.Contains($"plot -> {output} (2 site panel(s), 0 cramp close-up(s))", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_files.Directory, "two.*.png"));
        Assert.Contains("3000 rows", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_DetectedCrampAndAnUndetectedTruthCramp_AddsACloseUpOfEach()
    {
        var recording = WriteRecording("night.csv", ["calf", "hamstring"], seconds: 3);
        using (var writer = new StreamWriter(GroundTruth.SidecarPathFor(recording)))
        {
            new GroundTruth([new TruthInterval(TruthKind.Cramp, "calf", 0.5, 2.5), new TruthInterval(TruthKind.Cramp, "hamstring", 1.0, 2.0)]).Write(writer);
        }

        var events = _files.Write("events.jsonl", """
            {"type":"cramp_started","site":"calf","onset_s":0.6,"confirmed_s":1.1}
            {"type":"cramp_ended","site":"calf","onset_s":0.6,"confirmed_s":1.1,"end_s":2.4}
            """);
        var output = Path.Combine(_files.Directory, "night.png");

        var exit = await Run("plot", recording, "--out", output, "--events", events);

        Assert.Equal(0, exit);
        Assert.Equal((1600, (2 * 260) + (2 * 150) + (2 * 300)), PngSize(output));
        Assert.Contains("2 cramp close-up(s)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_TruthSidecarAndEvents_AreReadAndCounted()
    {
        var recording = WriteRecording("one.csv", ["calf"], seconds: 2);
        using (var writer = new StreamWriter(GroundTruth.SidecarPathFor(recording)))
        {
            new GroundTruth([new TruthInterval(TruthKind.Cramp, "calf", 0.5, 1.5)]).Write(writer);
        }

        var events = _files.Write("events.jsonl", "{\"type\":\"cramp_started\",\"site\":\"calf\",\"onset_s\":0.5,\"confirmed_s\":1.2}\n");
        var output = Path.Combine(_files.Directory, "one.png");

        var exit = await Run("plot", recording, "--out", output, "--events", events);

        Assert.Equal(0, exit);
        Assert.Equal((1600, 260 + (2 * 150) + 300), PngSize(output)); // one site, one close-up (the cramp)
        Assert.Contains("1 truth intervals, 2 event markers", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_MissingRecording_FailsWithOneLineNamingTheFile()
    {
        var missing = Path.Combine(_files.Directory, "nope.csv");

        var exit = await Run("plot", missing, "--out", Path.Combine(_files.Directory, "x.png"));

        Assert.NotEqual(0, exit);
        Assert.Contains("nope.csv", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task Plot_MalformedRow_FailsNamingFileAndLine()
    {
        var recording = _files.Write("bad.csv", "# crampsense-recording v1 sample_rate_hz=1000\nt_s,emg.calf\n0.000,0.1\n0.001,abc\n");

        var exit = await Run("plot", recording, "--out", Path.Combine(_files.Directory, "bad.png"));

        Assert.NotEqual(0, exit);
        Assert.Contains("bad.csv line 4", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_BadEventsLine_FailsNamingEventsFileAndLine()
    {
        var recording = WriteRecording("ok.csv", ["calf"], seconds: 1);
        var events = _files.Write("ev.jsonl", "{\"type\":\"cramp_started\",\"site\":\"calf\",\"onset_s\":0.5}\nnot json\n");

        var exit = await Run("plot", recording, "--out", Path.Combine(_files.Directory, "ok.png"), "--events", events);

        Assert.NotEqual(0, exit);
        Assert.Contains("ev.jsonl line 2", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_EventsThatAreNotJson_NamesTheOptionAndA1BasedPositionNotTheLibrarys()
    {
        var recording = WriteRecording("ok.csv", ["calf"], seconds: 1);
        var events = _files.Write("ev.jsonl", "not json\n");

        var exit = await Run("plot", recording, "--out", Path.Combine(_files.Directory, "ok.png"), "--events", events);

        Assert.Equal(CliErrors.BadInput, exit);
        var error = _error.ToString().Trim();
        Assert.StartsWith($"error: --events: {events} line 1: not valid JSON at column 2: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error, StringComparison.Ordinal);
    }

    private string WriteRecording(string name, string[] sites, int seconds)
    {
        var path = Path.Combine(_files.Directory, name);
        var layout = new RecordingLayout(1000, sites, hasSkinTemperature: true, hasAcceleration: true);
        using var text = new StreamWriter(path, false, new UTF8Encoding(false));
        var writer = new RecordingWriter(text, layout);
        var frame = layout.CreateFrame();
        for (var n = 0; n < seconds * 1000; n++)
        {
            frame.ClearSlowSignals();
            frame.TimeSeconds = n / 1000.0;
            for (var s = 0; s < sites.Length; s++)
            {
                frame.EmgMillivolts[s] = 0.1f * MathF.Sin(2 * MathF.PI * 80 * n / 1000f) * (s + 1);
            }

            if (n % 1000 == 0)
            {
                frame.HasSkinTemperature = true;
                frame.SkinTemperatureCelsius = 33f + (n / 1000f * 0.1f);
            }

            if (n % 20 == 0)
            {
                frame.HasAcceleration = true;
                frame.AccelerationZG = 1f;
            }

            writer.Write(frame);
        }

        writer.Flush();
        return path;
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("\u0089PNG", Encoding.Latin1.GetString(bytes, 0, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
