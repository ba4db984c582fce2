using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using CrampSense.Cli.Detection;
using CrampSense.Signals.Recordings;
using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class ClipsCommandTests : IDisposable
{
    private static readonly DateTimeOffset Recorded = new(2026, 12, 2, 3, 15, 22, TimeSpan.Zero);
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private string Folder => Path.Combine(_files.Directory, "pi.clips");

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    [Fact]
    public async Task List_TwoClips_TableGivesEachClipsSpanSitesLabelStatusAndTrigger()
    {
        WriteClip("20261202T031522123Z-cramp-calf-1534250", "ev-1", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 1474.25, seconds: 12);
        WriteClip("20261202T041000000Z-warning-calf-2000000", "ev-2", ClipStatus.Rejected, "cramp_warning", sourceStart: 1940, seconds: 8, kind: TruthKind.Prodrome);

        var exit = await Run("clips", "list", Folder);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        var lines = _output.ToString().Split('\n');
        var first = Assert.Single(lines, l => l.Contains("20261202T031522123Z-cramp-calf-1534250", StringComparison.Ordinal));
        Assert.Contains("1474.25–1486.249", first, StringComparison.Ordinal);
        Assert.Contains("calf, foot", first, StringComparison.Ordinal);
        Assert.Contains("cramp calf 2–10 s", first, StringComparison.Ordinal);
        Assert.Contains("unconfirmed", first, StringComparison.Ordinal);
        Assert.Contains("cramp_started", first, StringComparison.Ordinal);
        var second = Assert.Single(lines, l => l.Contains("ev-2", StringComparison.Ordinal));
        Assert.Contains("prodrome calf 2–6 s", second, StringComparison.Ordinal);
        Assert.Contains("rejected", second, StringComparison.Ordinal);
        Assert.Contains("cramp_warning", second, StringComparison.Ordinal);
        Assert.Contains("2 clip(s)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_GivesEachClipsFieldsOldestFirst()
    {
        WriteClip("20261202T041000000Z-cramp-foot-2000000", "later", ClipStatus.Confirmed, "cramp_started", sourceStart: 1940, seconds: 8, site: "foot");
        WriteClip("20261202T031522123Z-cramp-calf-1534250", "earlier", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 1474.25, seconds: 12);

        var exit = await Run("clips", "list", Folder, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(_output.ToString());
        var clips = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["earlier", "later"], clips.Select(c => c.GetProperty("event_id").GetString()));
        Assert.Equal(1474.25, clips[0].GetProperty("source_start_s").GetDouble());
        Assert.Equal(11.999, clips[0].GetProperty("duration_s").GetDouble());
        Assert.Equal(["calf", "foot"], clips[0].GetProperty("sites").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("confirmed", clips[1].GetProperty("status").GetString());
        var interval = Assert.Single(clips[1].GetProperty("intervals").EnumerateArray());
        Assert.Equal(("cramp", "foot"), (interval.GetProperty("kind").GetString(), interval.GetProperty("site").GetString()));
    }

    [Fact]
    public async Task List_ADamagedSidecar_IsWarnedAboutByFileAndKeyAndTheOtherClipsAreListed()
    {
        WriteClip("20261202T031522123Z-cramp-calf-1", "good", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 4);
        var bad = WriteClip("20261202T031600000Z-cramp-calf-2", "bad", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 4);
        var sidecar = GroundTruth.SidecarPathFor(bad);
        File.WriteAllText(sidecar, File.ReadAllText(sidecar).Replace("\"unconfirmed\"", "\"maybe\"", StringComparison.Ordinal));

        var exit = await Run("clips", "list", Folder, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(_output.ToString());
        Assert.Equal(["good"], json.RootElement.EnumerateArray().Select(c => c.GetProperty("event_id").GetString()));
        Assert.Contains($"warning: {bad}: not a clip: {sidecar}", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("clip.status", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AMissingFolder_ExitsWithOneLineNamingIt()
    {
        var exit = await Run("clips", "list", Folder);

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.Equal($"error: {Folder}: folder not found", _error.ToString().Trim());
    }

    [Fact]
    public async Task Relabel_Voluntary_RewritesTheSidecarWithTheNewKindAndStatusRelabelledAndLeavesNoPartialFile()
    {
        var clip = WriteClip("20261202T031522123Z-cramp-calf-1", "ev-1", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 100, seconds: 12);

        var exit = await Run("clips", "relabel", clip, "--label", "voluntary", "--site", "foot");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        var entry = ClipFiles.Read(clip);
        Assert.Equal(ClipStatus.Relabelled, entry.Label.Status);
        Assert.Equal([new TruthInterval(TruthKind.Voluntary, "foot", 2, 10)], entry.Label.Intervals);
        Assert.Equal(("ev-1", 100.0), (entry.Label.EventId, entry.Label.SourceStartSeconds));
        Assert.Empty(Directory.EnumerateFiles(Folder, "*" + ClipFiles.PartialSuffix));
    }

    [Fact]
    public async Task Relabel_GivenTheSidecarPath_RelabelsThatClip()
    {
        var clip = WriteClip("20261202T031522123Z-cramp-calf-1", "ev-1", ClipStatus.Rejected, "cramp_started", sourceStart: 0, seconds: 12);

        var exit = await Run("clips", "relabel", GroundTruth.SidecarPathFor(clip), "--label", "artifact");

        Assert.Equal(0, exit);
        Assert.Equal([new TruthInterval(TruthKind.Artifact, "calf", 2, 10)], ClipFiles.Read(clip).Label.Intervals);
    }

    [Theory]
    [InlineData("--label", "spasm", "--label: 'spasm' is not one of cramp, voluntary, artifact")]
    [InlineData("--site", "thigh", "--site: 'thigh' is not a site of")]
    public async Task Relabel_BadOption_ExitsNamingTheOptionAndLeavesTheSidecarAsItWas(string option, string value, string message)
    {
        var clip = WriteClip("20261202T031522123Z-cramp-calf-1", "ev-1", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 4);
        var before = File.ReadAllText(GroundTruth.SidecarPathFor(clip));
        string[] args = option == "--label" ? ["clips", "relabel", clip, option, value] : ["clips", "relabel", clip, "--label", "cramp", option, value];

        var exit = await Run(args);

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.StartsWith("error: " + message, _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(GroundTruth.SidecarPathFor(clip)));
    }

    [Fact]
    public async Task Relabel_ARecordingWithoutSidecar_ExitsNamingTheMissingSidecar()
    {
        var clip = WriteClip("20261202T031522123Z-cramp-calf-1", "ev-1", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 4);
        File.Delete(GroundTruth.SidecarPathFor(clip));

        var exit = await Run("clips", "relabel", clip, "--label", "cramp");

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.Contains(GroundTruth.SidecarPathFor(clip), _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AnsweredClips_WritesRecordingsWithTruthTheTrainingReaderTakesAndLeavesOutUnconfirmedOnes()
    {
        WriteClip("20261202T010000000Z-cramp-calf-1", "confirmed", ClipStatus.Confirmed, "cramp_started", sourceStart: 0, seconds: 6);
        WriteClip("20261202T020000000Z-cramp-calf-2", "rejected", ClipStatus.Rejected, "cramp_started", sourceStart: 0, seconds: 6);
        WriteClip("20261202T030000000Z-cramp-calf-3", "open", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 6);
        var output = Path.Combine(_files.Directory, "export");

        var exit = await Run("clips", "export", Folder, "-o", output);

        Assert.Equal(0, exit);
        Assert.Contains("exported 2 clip(s)", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("left out 1 unconfirmed", _output.ToString(), StringComparison.Ordinal);
        var recordings = Directory.GetFiles(output, "*.csv").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["20261202T010000000Z-cramp-calf-1.csv", "20261202T020000000Z-cramp-calf-2.csv"], recordings.Select(Path.GetFileName));

        // What train --data and evaluate read (RecordingSource.Open: the CSV and its plain truth sidecar).
        var confirmed = RecordingSource.Open(recordings[0]);
        var rejected = RecordingSource.Open(recordings[1]);
        Assert.Equal([new TruthInterval(TruthKind.Cramp, "calf", 2, 10)], confirmed.Truth);
        Assert.Equal([new TruthInterval(TruthKind.Voluntary, "calf", 2, 10)], rejected.Truth);
        var frame = rejected.Layout.CreateFrame();
        var rows = 0;
        while (rejected.TryReadFrame(frame))
        {
            rows++;
        }

        Assert.Equal(6000, rows);
        Assert.Empty(Directory.EnumerateFiles(output, "*.partial"));
    }

    [Fact]
    public async Task Export_IncludeUnconfirmed_ExportsTheDetectorsGuessToo()
    {
        WriteClip("20261202T030000000Z-cramp-calf-3", "open", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 10);
        var output = Path.Combine(_files.Directory, "export");

        var exit = await Run("clips", "export", Folder, "-o", output, "--include-unconfirmed");

        Assert.Equal(0, exit);
        Assert.Equal([new TruthInterval(TruthKind.Cramp, "calf", 2, 10)], RecordingSource.ReadTruth(Path.Combine(output, "20261202T030000000Z-cramp-calf-3.csv")));
    }

    [Fact]
    public async Task Export_IntoTheClipFolderItself_IsRefusedNamingTheOption()
    {
        WriteClip("20261202T030000000Z-cramp-calf-3", "open", ClipStatus.Confirmed, "cramp_started", sourceStart: 0, seconds: 3);

        var exit = await Run("clips", "export", Folder, "-o", Folder);

        Assert.Equal(CliErrors.BadInput, exit);
        Assert.StartsWith("error: --out:", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_AClip_WritesTheFigureWithACloseUpOfItsCramp()
    {
        var clip = WriteClip("20261202T031522123Z-cramp-calf-1", "ev-1", ClipStatus.Unconfirmed, "cramp_started", sourceStart: 0, seconds: 12);
        var png = Path.Combine(_files.Directory, "clip.png");

        var exit = await Run("clips", "plot", clip, "-o", png);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        Assert.Contains("1 cramp close-up(s)", _output.ToString(), StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(png);

        // Two site panels of 260 px, temperature and motion of 150 px, one close-up of 300 px.
        Assert.Equal((1600, (2 * 260) + (2 * 150) + 300), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        Assert.Equal("\u0089PNG", Encoding.Latin1.GetString(bytes, 0, 4));
    }

    /// <summary>Writes a clip as the device does: a 1000-Hz recording of calf and foot with IMU, and a clip sidecar whose event lies at 2–10 s (or 2–6 s for a prodrome).</summary>
    private string WriteClip(string name, string eventId, ClipStatus status, string trigger, double sourceStart, int seconds, TruthKind kind = TruthKind.Cramp, string site = "calf")
    {
        Directory.CreateDirectory(Folder);
        var layout = new RecordingLayout(1000, ["calf", "foot"], hasSkinTemperature: false, hasAcceleration: true);
        var recording = Path.Combine(Folder, name + ".csv");
        var frame = layout.CreateFrame();
        ClipFiles.WriteDurably(recording, text =>
        {
            var writer = new RecordingWriter(text, layout);
            for (var n = 0; n < seconds * 1000; n++)
            {
                frame.TimeSeconds = n / 1000.0;
                var active = n is >= 2000 and < 10_000;
                frame.EmgMillivolts[0] = (float)(Math.Sin(n * 0.37) * (active ? 0.4 : 0.004));
                frame.EmgMillivolts[1] = (float)(Math.Cos(n * 0.11) * 0.003);
                frame.HasAcceleration = n % 10 == 0;
                frame.AccelerationZG = 0.98f;
                writer.Write(frame);
            }
        });
        var label = new ClipLabel
        {
            Intervals = [new TruthInterval(kind, site, 2, kind == TruthKind.Prodrome ? 6 : 10)],
            Origin = ClipLabel.Detected,
            Status = status,
            Trigger = trigger,
            EventId = eventId,
            Device = "pi-01",
            SourceStartSeconds = sourceStart,
            RecordedAt = Recorded,
        };
        ClipFiles.WriteLabel(GroundTruth.SidecarPathFor(recording), label);
        return recording;
    }
}
