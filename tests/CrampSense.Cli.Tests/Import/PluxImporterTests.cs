using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Import;

public sealed class PluxImporterTests
{
    [Fact]
    public void Import_FatigueSlice_UsesEmgMillivoltsAndNamesTheBiceps()
    {
        var (result, reader, rows) = TestFiles.ImportAndRead(new PluxImporter(), TestFiles.Slice("plux-biosignalsnotebooks/emg_fatigue_biceps.csv"));

        Assert.Equal(2000, rows.Count);
        Assert.Equal(2000, result.Rows);
        Assert.Equal(["biceps"], reader.Layout.Sites);
        Assert.Equal(1000, reader.Layout.SampleRateHz);

        // Row "0,0.000,2068,0.014648": emg_mV = (2068/4096 - 0.5) * 3 = 0.0146484 mV.
        Assert.Equal(0.014648f, rows[0].Emg[0]);
        Assert.Equal(0.014648, PluxImporter.AdcToMillivolts(2068, 12), 6);
        Assert.Equal((0.001, 0.018311f), (rows[1].T, rows[1].Emg[0]));
        Assert.Equal("12", reader.Layout.Metadata["adc_bits"]);
        Assert.StartsWith("NOMINAL gain", reader.Layout.Metadata["scaling"], StringComparison.Ordinal);
        Assert.Contains("MIT", reader.Layout.Metadata["licence"], StringComparison.Ordinal);
        Assert.Null(result.Truth);
    }

    [Fact]
    public void Import_AdductorSlice_Detects16BitConversion()
    {
        var (_, reader, rows) = TestFiles.ImportAndRead(new PluxImporter(), TestFiles.Slice("plux-biosignalsnotebooks/emg_adductor_pollicis.csv"));

        // Row "0,0.000,32960,0.008789": (32960/65536 - 0.5) * 3 = 0.0087891 mV.
        Assert.Equal(["adductor_pollicis"], reader.Layout.Sites);
        Assert.Equal(1000, rows.Count);
        Assert.Equal(0.008789f, rows[0].Emg[0]);
        Assert.Equal("16", reader.Layout.Metadata["adc_bits"]);
    }

    [Fact]
    public void Import_SiteOption_OverridesTheFileName()
    {
        var (_, reader, _) = TestFiles.ImportAndRead(new PluxImporter(), TestFiles.Slice("plux-biosignalsnotebooks/emg_adductor_pollicis.csv"), site: "hand");

        Assert.Equal(["hand"], reader.Layout.Sites);
    }

    [Theory]
    [InlineData("0,0.000,2068,0.014648\n2,0.002,2068,0.01\n", "line 3, column sample: sample index 2, expected 1")]
    [InlineData("0,0.000,2068,0.014648\n1,0.5,2068,0.01\n", "line 3, column time_s: 0.5 s does not match sample 1 at 1000 Hz")]
    [InlineData("0,0.000,2068,0.014648\n1,0.001,2068,abc\n", "line 3, column emg_mV: 'abc' is not a number")]
    [InlineData("0,0.000,2068,0.014648\n1,0.001,2068\n", "line 3: expected 4 comma-separated columns")]
    [InlineData("0,0.000,2068,0.014648\n1,0.001,2068,0.1,7\n", "line 3: expected 4 comma-separated columns (sample,time_s,adc,emg_mV), found 5")]
    public void Import_MalformedRow_ThrowsNamingFileLineAndColumn(string rows, string expected)
    {
        using var files = new TestFiles();
        var path = files.Write("emg_x.csv", "sample,time_s,adc,emg_mV\n" + rows);

        var error = Assert.Throws<RecordingFormatException>(() => new PluxImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.StartsWith($"{path} {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_PhysioNetCsv_IsRejectedAsWrongFormat()
    {
        var path = TestFiles.Slice("physionet-emgdb/emg_healthy.csv");

        var error = Assert.Throws<RecordingFormatException>(() => new PluxImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.StartsWith($"{path} line 1: expected the PLUX CSV header 'sample,time_s,adc,emg_mV'", error.Message, StringComparison.Ordinal);
    }
}
