using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Import;

public sealed class PhysioNetImporterTests
{
    [Fact]
    public void Import_HealthySlice_Writes4kHzMillivoltsOnTibialisAnterior()
    {
        var (result, reader, rows) = TestFiles.ImportAndRead(new PhysioNetImporter(), TestFiles.Slice("physionet-emgdb/emg_healthy.csv"));

        Assert.Equal(4000, rows.Count);
        Assert.Equal(4000, result.Rows);
        Assert.Equal(4000, reader.Layout.SampleRateHz);
        Assert.Equal(["tibialis_anterior"], reader.Layout.Sites);

        // Rows "0,0.00000,-0.0333", "1,0.00025,-0.0350" and "3999,0.99975,-0.0617".
        Assert.Equal((0.0, -0.0333f), (rows[0].T, rows[0].Emg[0]));
        Assert.Equal((0.00025, -0.035f), (rows[1].T, rows[1].Emg[0]));
        Assert.Equal((0.99975, -0.0617f), (rows[^1].T, rows[^1].Emg[0]));
        Assert.Null(result.Truth);
    }

    [Fact]
    public void Import_WithWfdbHeaderBeside_TakesRateAndSubjectFromIt()
    {
        var (result, reader, _) = TestFiles.ImportAndRead(new PhysioNetImporter(), TestFiles.Slice("physionet-emgdb/emg_healthy.csv"));

        Assert.Contains("44", reader.Layout.Metadata["subject"], StringComparison.Ordinal);
        Assert.Contains("no history of neuromuscular disease", reader.Layout.Metadata["subject"], StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n == "sample rate 4000 Hz from emg_healthy.hea");
        Assert.Contains("NEEDLE", reader.Layout.Metadata["note"], StringComparison.Ordinal);
        Assert.Contains("ODC-By", reader.Layout.Metadata["licence"], StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WithoutWfdbHeader_Assumes4kHzAndSaysSo()
    {
        using var files = new TestFiles();
        var path = files.Write("lone.csv", "sample,time_s,emg_mV\n0,0.00000,0.1\n1,0.00025,0.2\n");

        var (result, reader, rows) = TestFiles.ImportAndRead(new PhysioNetImporter(), path);

        Assert.Equal(4000, reader.Layout.SampleRateHz);
        Assert.Equal(2, rows.Count);
        Assert.Contains(result.Notes, n => n.StartsWith("no WFDB header lone.hea", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_TimeNotMatchingTheRate_ThrowsNamingLineAndColumn()
    {
        using var files = new TestFiles();
        var path = files.Write("odd.csv", "sample,time_s,emg_mV\n0,0.00000,0.1\n1,0.001,0.2\n");

        var error = Assert.Throws<RecordingFormatException>(() => new PhysioNetImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.Equal($"{path} line 3, column time_s: 0.001 s does not match sample 1 at 4000 Hz", error.Message);
    }

    [Fact]
    public void Import_PluxCsv_IsRejectedAsWrongFormat()
    {
        var path = TestFiles.Slice("plux-biosignalsnotebooks/emg_fatigue_biceps.csv");

        var error = Assert.Throws<RecordingFormatException>(() => new PhysioNetImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.Contains("line 1: expected the PhysioNet emgdb CSV header", error.Message, StringComparison.Ordinal);
    }
}
