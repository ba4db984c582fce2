using CrampSense.Cli.Import;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Cli.Tests.Import;

public sealed class UciMyoImporterTests
{
    private const string SliceFile = "uci-emg-gestures-myo/01/1_raw_data_13-12_22.03.16.txt";
    private const string Header = "time\tchannel1\tchannel2\tchannel3\tchannel4\tchannel5\tchannel6\tchannel7\tchannel8\tclass\n";

    [Fact]
    public void Import_Slice_WritesOneRowPerMillisecondWithNominalMillivolts()
    {
        var (result, reader, rows) = TestFiles.ImportAndRead(new UciMyoImporter(), TestFiles.Slice(SliceFile));

        // The slice holds 2333 source rows from 4400 to 6800 ms; 68 missing milliseconds are filled.
        Assert.Equal(2401, rows.Count);
        Assert.Equal(2401, result.Rows);
        Assert.Equal(1000, reader.Layout.SampleRateHz);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"forearm_{i}"), reader.Layout.Sites);
        Assert.Equal(4.400, rows[0].T);
        Assert.Equal(6.800, rows[^1].T);

        // First row "4400  0 6e-05 2e-05 0 -1e-05 0 0 1e-05": counts x 0.01 mV.
        Assert.Equal([0f, 0.06f, 0.02f, 0f, -0.01f, 0f, 0f, 0.01f], rows[0].Emg);

        // Source row 6662 (first fist row): channel7 = -0.00036 = -36 counts = -0.36 mV.
        Assert.Equal(-0.36f, rows[2262].Emg[6]);
        Assert.Equal(6.662, rows[2262].T);
    }

    [Fact]
    public void Import_GapInSourceTime_HoldsThePreviousValues()
    {
        var (_, _, rows) = TestFiles.ImportAndRead(new UciMyoImporter(), TestFiles.Slice(SliceFile));

        // Source rows 4486 (-1 -1 -3 -1 0 0 -1 0 counts) and 4488; 4487 is missing and must hold 4486.
        var held = rows.Single(r => r.T == 4.487);
        Assert.Equal([-0.01f, -0.01f, -0.03f, -0.01f, 0f, 0f, -0.01f, 0f], held.Emg);
        Assert.Equal(-0.02f, rows.Single(r => r.T == 4.488).Emg[1]);
    }

    [Fact]
    public void Import_Slice_LabelsBecomeRestAndVoluntaryIntervalsOnEverySite()
    {
        var (result, _, _) = TestFiles.ImportAndRead(new UciMyoImporter(), TestFiles.Slice(SliceFile));

        var truth = Assert.IsType<GroundTruth>(result.Truth);
        Assert.Equal(16, truth.Intervals.Count);
        var rest = truth.Intervals.Where(i => i.Kind == TruthKind.Rest).ToList();
        var fist = truth.Intervals.Where(i => i.Kind == TruthKind.Voluntary).ToList();
        Assert.Equal(8, rest.Count);
        Assert.Equal(8, fist.Count);
        Assert.All(rest, i => Assert.Equal((4.400, 4.580), (i.StartSeconds, i.EndSeconds)));
        Assert.All(fist, i => Assert.Equal((6.662, 6.800), (i.StartSeconds, i.EndSeconds)));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"forearm_{i}"), fist.Select(i => i.Site));
    }

    [Fact]
    public void Import_Slice_StatesNominalScalingAndMeasuredEffectiveRate()
    {
        var (_, reader, _) = TestFiles.ImportAndRead(new UciMyoImporter(), TestFiles.Slice(SliceFile));

        var metadata = reader.Layout.Metadata;
        Assert.StartsWith("NOMINAL", metadata["scaling"], StringComparison.Ordinal);
        Assert.Equal("uci-myo", metadata["source_format"]);
        Assert.Equal("1_raw_data_13-12_22.03.16.txt", metadata["source"]);
        Assert.Contains("CC BY 4.0", metadata["licence"], StringComparison.Ordinal);
        var effective = double.Parse(metadata["effective_rate_hz"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(effective, 60, 200);
        Assert.Contains("68 rows added", metadata["note"], StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HandMadeRows_EffectiveRateCountsVectorChangesPerSecond()
    {
        using var files = new TestFiles();
        // 1 s (0..1000 ms), the vector changes every 10 ms: 100 changes per second.
        var rows = Enumerable.Range(0, 1001).Select(ms => $"{ms}\t{(ms / 10 % 2 == 0 ? "1e-05" : "-1e-05")}\t0\t0\t0\t0\t0\t0\t0\t{(ms < 500 ? 1 : 0)}");
        var path = files.Write("synthetic.txt", Header + string.Join('\n', rows) + "\n");

        var (result, reader, _) = TestFiles.ImportAndRead(new UciMyoImporter(), path);

        Assert.Equal("100", reader.Layout.Metadata["effective_rate_hz"]);
        var rest = Assert.IsType<GroundTruth>(result.Truth).Intervals.Where(i => i.Site == "forearm_1").Single();
        Assert.Equal((TruthKind.Rest, 0.0, 0.499), (rest.Kind, rest.StartSeconds, rest.EndSeconds));
    }

    [Theory]
    [InlineData("3\t1e-05\t0\t0\tabc\t0\t0\t0\t0\t1", "line 3, column channel4: 'abc' is not a number")]
    [InlineData("3\t1e-05\t0\t0\t0\t0\t0\t0\t0", "line 3: expected 10 tab-separated columns")]
    [InlineData("3\t1.5e-05\t0\t0\t0\t0\t0\t0\t0\t1", "line 3, column channel1: '1.5e-05' is not a MYO int8 count")]
    [InlineData("3\t0.002\t0\t0\t0\t0\t0\t0\t0\t1", "line 3, column channel1: '0.002' is not a MYO int8 count")]
    [InlineData("1\t0\t0\t0\t0\t0\t0\t0\t0\t1", "line 3, column time: time 1 ms is not after the previous row's 2 ms")]
    [InlineData("3\t0\t0\t0\t0\t0\t0\t0\t0\t9", "line 3, column class: gesture class 9 is not 0-7")]
    public void Import_MalformedRow_ThrowsNamingFileLineAndColumn(string badRow, string expected)
    {
        using var files = new TestFiles();
        var path = files.Write("bad.txt", Header + "2\t0\t0\t0\t0\t0\t0\t0\t0\t1\n" + badRow + "\n");

        var error = Assert.Throws<RecordingFormatException>(() => new UciMyoImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.StartsWith($"{path} {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OtherFormat_ThrowsNamingTheHeaderLine()
    {
        var path = TestFiles.Slice("plux-biosignalsnotebooks/emg_fatigue_biceps.csv");

        var error = Assert.Throws<RecordingFormatException>(() => new UciMyoImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("expected the tab-separated UCI MYO header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HeaderOnly_Throws()
    {
        using var files = new TestFiles();
        var path = files.Write("empty.txt", Header);

        var error = Assert.Throws<RecordingFormatException>(() => new UciMyoImporter().Import(new ImportRequest(path), new StringWriter()));

        Assert.Equal($"{path}: the file has a header but no data rows", error.Message);
    }

    [Fact]
    public void Import_SiteOption_IsRejectedForAnEightChannelSource()
    {
        var error = Assert.Throws<CliInputException>(() => new UciMyoImporter().Import(new ImportRequest(TestFiles.Slice(SliceFile), "calf"), new StringWriter()));

        Assert.Contains("--site applies to single-channel sources", error.Message, StringComparison.Ordinal);
    }
}
