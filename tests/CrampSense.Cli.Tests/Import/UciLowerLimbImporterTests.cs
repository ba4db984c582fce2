using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Import;

public sealed class UciLowerLimbImporterTests
{
    private const string Header = """
        File Name: 9Nsen.log
        Channel 1: 'RF', 3 values, engineering units: mV, no filters.
        Channel 2: 'BF', 3 values, engineering units: mV, no filters.
        Channel 3: 'VM', 3 values, engineering units: mV, no filters.
        Channel 4: 'ST', 3 values, engineering units: mV, no filters.
        Channel 5: 'FX', 1 values, engineering units: deg, no filters.


        """;

    [Fact]
    public void Import_NormalSubjectSlice_KeepsMillivoltsOnA1kHzClock()
    {
        var (result, reader, rows) = TestFiles.ImportAndRead(new UciLowerLimbImporter(), TestFiles.Slice("uci-emg-lower-limb/N_TXT/1Nsen.txt"));

        Assert.Equal(2000, rows.Count);
        Assert.Equal(2000, result.Rows);
        Assert.Equal(1000, reader.Layout.SampleRateHz);
        Assert.Equal(["rectus_femoris", "biceps_femoris", "vastus_medialis", "semitendinosus"], reader.Layout.Sites);

        // Line 8 "0.0007 -0.0008 0.003 0 70.1" and line 2007 "-0.027 -0.003 0.0915 0.0037 29.4", already in mV.
        Assert.Equal(0.0, rows[0].T);
        Assert.Equal([0.0007f, -0.0008f, 0.003f, 0f], rows[0].Emg);
        Assert.Equal(1.999, rows[^1].T);
        Assert.Equal([-0.027f, -0.003f, 0.0915f, 0.0037f], rows[^1].Emg);
        Assert.Null(result.Truth);
    }

    [Fact]
    public void Import_Slice_DropsKneeAngleWithNoteAndRange()
    {
        var (result, reader, _) = TestFiles.ImportAndRead(new UciLowerLimbImporter(), TestFiles.Slice("uci-emg-lower-limb/N_TXT/1Nsen.txt"));

        var metadata = reader.Layout.Metadata;
        Assert.Contains("knee angle (FX, deg) dropped", metadata["note"], StringComparison.Ordinal);
        // Angle column of the slice's 2000 rows spans 29.4 to 70.9 degrees (checked with awk over column 5).
        Assert.StartsWith("min 29.4 max 70.9 ", metadata["knee_angle_deg"], StringComparison.Ordinal);
        Assert.Equal("normal", metadata["group"]);
        Assert.Equal("sitting, repeated knee extension", metadata["task"]);
        Assert.Equal("1000", metadata["effective_rate_hz"]);
        Assert.Contains(result.Notes, n => n.Contains("declares 15300 samples per channel, the file has 2000 rows", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_AbnormalSubjectWithSpanishHeader_MapsColumnsByPosition()
    {
        var (_, reader, rows) = TestFiles.ImportAndRead(new UciLowerLimbImporter(), TestFiles.Slice("uci-emg-lower-limb/A_TXT/5Apie.txt"));

        Assert.Equal(500, rows.Count);
        Assert.Equal([0.0015f, -0.0046f, -0.003f, 0.018f], rows[0].Emg);
        Assert.Equal("knee abnormality", reader.Layout.Metadata["group"]);
        Assert.Equal("standing, repeated knee flexion", reader.Layout.Metadata["task"]);
        Assert.Contains("'Recto Femoral'", reader.Layout.Metadata["note"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.1\t0.2\t0.3\t0.4\t5\n0.1\tx\t0.3\t0.4\t5\n", "line 9, column BF: 'x' is not a number")]
    [InlineData("0.1\t0.2\t0.3\t0.4\n", "line 8: expected 5 tab-separated columns")]
    [InlineData("0.1\t0.2\t0.3\t0.4\tNaN\n", "line 8, column FX: 'NaN' is not a finite number")]
    [InlineData("0.1\t1e39\t0.3\t0.4\t5\n", "line 8, column BF: '1e39' is outside the range of a 32-bit float")]
    [InlineData("0.1\t-1e39\t0.3\t0.4\t5\n", "line 8, column BF: '-1e39' is outside the range of a 32-bit float")]
    public void Import_MalformedRow_ThrowsNamingFileLineAndColumn(string rows, string expected)
    {
        using var files = new TestFiles();
        var path = files.Write("9Nsen.txt", Header + rows);

        var error = Assert.Throws<RecordingFormatException>(() => new UciLowerLimbImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.StartsWith($"{path} {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ChannelLineWithWrongUnit_ThrowsNamingTheLine()
    {
        using var files = new TestFiles();
        var path = files.Write("9Nsen.txt", Header.Replace("'BF', 3 values, engineering units: mV", "'BF', 3 values, engineering units: V", StringComparison.Ordinal) + "0\t0\t0\t0\t0\n");

        var error = Assert.Throws<RecordingFormatException>(() => new UciLowerLimbImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("engineering units: mV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OtherFormat_ThrowsOnTheFirstLine()
    {
        var path = TestFiles.Slice("biosppy-examples/emg.txt");

        var error = Assert.Throws<RecordingFormatException>(() => new UciLowerLimbImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.StartsWith($"{path} line 1: expected 'File Name: ...'", error.Message, StringComparison.Ordinal);
    }
}
