using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Commands;

public sealed class ImportCommandTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _files.Dispose();

    private Task<int> Run(params string[] args) => CrampSenseCommand.RunAsync(args, _output, _error);

    [Fact]
    public async Task Import_UciMyo_WritesRecordingAndTruthSidecar()
    {
        var output = Path.Combine(_files.Directory, "myo.csv");

        var exit = await Run("import", "uci-myo", TestFiles.Slice("uci-emg-gestures-myo/01/1_raw_data_13-12_22.03.16.txt"), "--out", output);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, _error.ToString());
        using (var text = File.OpenText(output))
        {
            var reader = new RecordingReader(text, output);
            var frame = reader.Layout.CreateFrame();
            while (reader.TryReadFrame(frame))
            {
            }

            Assert.Equal(2401, reader.RowsRead);
        }

        var sidecar = Path.Combine(_files.Directory, "myo.truth.json");
        using (var text = File.OpenText(sidecar))
        {
            Assert.Equal(16, GroundTruth.Read(text, sidecar).Intervals.Count);
        }

        Assert.Contains("2401 rows", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("effective", _output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task Import_UnlabelledSource_WritesNoSidecar()
    {
        var output = Path.Combine(_files.Directory, "healthy.csv");

        var exit = await Run("import", "physionet", TestFiles.Slice("physionet-emgdb/emg_healthy.csv"), "--out", output);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(Path.Combine(_files.Directory, "healthy.truth.json")));
    }

    [Fact]
    public async Task Import_UnlabelledSource_RemovesAStaleSidecarOfAnEarlierImport()
    {
        var output = Path.Combine(_files.Directory, "again.csv");
        var sidecar = Path.Combine(_files.Directory, "again.truth.json");
        Assert.Equal(0, await Run("import", "uci-myo", TestFiles.Slice("uci-emg-gestures-myo/01/1_raw_data_13-12_22.03.16.txt"), "--out", output));
        Assert.True(File.Exists(sidecar));

        var exit = await Run("import", "physionet", TestFiles.Slice("physionet-emgdb/emg_healthy.csv"), "--out", output);

        Assert.Equal(0, exit);
        Assert.False(File.Exists(sidecar));
    }

    [Fact]
    public async Task Import_MissingFile_ExitsNonZeroWithOneLineNamingTheFile()
    {
        var missing = Path.Combine(_files.Directory, "nope.txt");

        var exit = await Run("import", "biosppy", missing, "--out", Path.Combine(_files.Directory, "x.csv"));

        Assert.Equal(1, exit);
        Assert.Equal($"error: {missing}: file not found", _error.ToString().TrimEnd());
        Assert.False(File.Exists(Path.Combine(_files.Directory, "x.csv")));
    }

    [Fact]
    public async Task Import_WrongFormat_ExitsNonZeroNamingFileAndLineAndLeavesNoOutput()
    {
        var output = Path.Combine(_files.Directory, "wrong.csv");
        var source = TestFiles.Slice("plux-biosignalsnotebooks/emg_fatigue_biceps.csv");

        var exit = await Run("import", "uci-myo", source, "--out", output);

        Assert.Equal(1, exit);
        var lines = _error.ToString().TrimEnd().Split('\n');
        var line = Assert.Single(lines);
        Assert.StartsWith($"error: {source} line 1: expected the tab-separated UCI MYO header", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task Import_MalformedLine_ExitsNonZeroNamingLineAndColumnAndKeepsAnExistingOutput()
    {
        var source = _files.Write("bad.csv", "sample,time_s,emg_mV\n0,0.00000,0.1\n1,0.00025,oops\n");
        var output = _files.Write("kept.csv", "previous content");

        var exit = await Run("import", "physionet", source, "--out", output);

        Assert.Equal(1, exit);
        Assert.Equal($"error: {source} line 3, column emg_mV: 'oops' is not a number", _error.ToString().TrimEnd());
        Assert.Equal("previous content", File.ReadAllText(output));
    }

    [Fact]
    public async Task Import_InvalidSite_ExitsNonZero()
    {
        var exit = await Run("import", "plux", TestFiles.Slice("plux-biosignalsnotebooks/emg_fatigue_biceps.csv"), "--out", Path.Combine(_files.Directory, "x.csv"), "--site", "Left Calf");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: --site 'Left Calf' is not a valid site name", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnknownFormat_IsAParseError()
    {
        var exit = await Run("import", "edf", TestFiles.Slice("biosppy-examples/emg.txt"), "--out", Path.Combine(_files.Directory, "x.csv"));

        Assert.NotEqual(0, exit);
        Assert.Contains("edf", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryFormat()
    {
        var exit = await Run("import", "--help");

        Assert.Equal(0, exit);
        foreach (var format in new[] { "uci-myo", "uci-lower-limb", "plux", "physionet", "biosppy" })
        {
            Assert.Contains(format, _output.ToString(), StringComparison.Ordinal);
        }
    }
}
