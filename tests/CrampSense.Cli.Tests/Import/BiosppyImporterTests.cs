using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Import;

public sealed class BiosppyImporterTests
{
    [Fact]
    public void Import_QuietSlice_AppliesTheNominalTransferFunction()
    {
        var (result, reader, rows) = TestFiles.ImportAndRead(new BiosppyImporter(), TestFiles.Slice("biosppy-examples/emg.txt"));

        Assert.Equal(1000, rows.Count);
        Assert.Equal(1000, result.Rows);
        Assert.Equal(1000, reader.Layout.SampleRateHz);
        Assert.Equal(["emg"], reader.Layout.Sites);

        // First value "2055.0": (2055/4096 - 0.5) * 3000 mV / 1000 = 0.005127 mV.
        Assert.Equal((float)(((2055 / 4096.0) - 0.5) * 3), rows[0].Emg[0]);
        Assert.Equal(0.0051270, rows[0].Emg[0], 6);
        Assert.StartsWith("NOMINAL, UNVERIFIED", reader.Layout.Metadata["scaling"], StringComparison.Ordinal);
        Assert.Equal("12", reader.Layout.Metadata["adc_bits"]);
        Assert.Empty(Assert.IsType<GroundTruth>(result.Truth).Intervals);
    }

    [Fact]
    public void Import_BurstSlice_MarksTheDuplicatedPacketsAsArtifacts()
    {
        var (result, _, rows) = TestFiles.ImportAndRead(new BiosppyImporter(), TestFiles.Slice("biosppy-examples/emg_1.txt"), site: "forearm");

        // Repeated 20-sample blocks start at samples 40, 380, 460, 1540 and 1660 (found by comparing the text);
        // the repeat (second copy) covers samples start+20 .. start+39.
        Assert.Equal(2000, rows.Count);
        var artifacts = Assert.IsType<GroundTruth>(result.Truth).Intervals;
        Assert.Equal([0.060, 0.400, 0.480, 1.560, 1.680], artifacts.Select(i => i.StartSeconds));
        Assert.Equal([0.079, 0.419, 0.499, 1.579, 1.699], artifacts.Select(i => i.EndSeconds));
        Assert.All(artifacts, i => Assert.Equal((TruthKind.Artifact, "forearm"), (i.Kind, i.Site)));
        Assert.Equal((float)(((2034 / 4096.0) - 0.5) * 3), rows[0].Emg[0]);
    }

    [Fact]
    public void DuplicateBlockFinder_ConstantBlock_IsNotAPacketDuplicate()
    {
        var finder = new DuplicateBlockFinder(1000, "emg");
        for (var n = 0; n < 100; n++)
        {
            finder.Add(2048, n);
        }

        Assert.Equal(0, finder.Blocks);
    }

    [Theory]
    [InlineData("# Simple Text Format\n# Sampling Rate (Hz):= 1000.00\n# Resolution:= 12\n2048\n5000\n", "line 5, column EMG: ADC value 5000 is outside 0-4095 for 12 bits")]
    [InlineData("# Simple Text Format\n# Sampling Rate (Hz):= 1000.00\n# Resolution:= 12\n2048\n20x8\n", "line 5, column EMG: '20x8' is not a number")]
    [InlineData("# Simple Text Format\n# Sampling Rate (Hz):= fast\n", "line 2, column Sampling Rate (Hz): 'fast' is not a number")]
    [InlineData("# Simple Text Format\n# Resolution:= 12\n2048\n", "line 3: the header lacks '# Sampling Rate (Hz):='")]
    [InlineData("# Simple Text Format\n# Sampling Rate (Hz):= 1e39\n# Resolution:= 12\n2048\n", "line 2, column Sampling Rate (Hz): 1E+39 Hz is outside the supported 100–20000 Hz")]
    [InlineData("# Simple Text Format\n# Sampling Rate (Hz):= 3\n# Resolution:= 12\n2048\n", "line 2, column Sampling Rate (Hz): 3 Hz is outside the supported 100–20000 Hz")]
    [InlineData("# Simple Text Format\n# Sampling Rate (Hz):= 1000\n# Resolution:= 12\n1e39\n", "line 4, column EMG: ADC value 1E+39 is outside 0-4095 for 12 bits")]
    [InlineData("time\tchannel1\n", "line 1: expected '# Simple Text Format'")]
    public void Import_Malformed_ThrowsNamingFileLineAndColumn(string content, string expected)
    {
        using var files = new TestFiles();
        var path = files.Write("bad.txt", content);

        var error = Assert.Throws<RecordingFormatException>(() => new BiosppyImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.StartsWith($"{path} {expected}", error.Message, StringComparison.Ordinal);
    }
}
