using System.Globalization;
using System.Text;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests.Recordings;

public sealed class RecordingReaderTests
{
    /// <summary>Files the fuzz tests mutate, and their seed.</summary>
    private const int MutatedFiles = 1024, MutationSeed = 20261201;

    [Fact]
    public void TryReadFrame_1024MutatedRecordings_ReadOrFailWithAShortFormatErrorNamingTheFile()
    {
        var random = new Random(MutationSeed);
        var (read, rejected) = (0, 0);
        var failures = new List<string>();
        for (var i = 0; i < MutatedFiles; i++)
        {
            var text = RecordingMutator.Mutate(random);
            var options = new RecordingReaderOptions { SkipBadRows = i % 2 == 1 };
            try
            {
                // Half through the UTF-8 stream path (files), half through the text path (in-memory imports).
                using var reader = i % 4 < 2
                    ? new RecordingReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), $"mutated-{i}.csv", options)
                    : new RecordingReader(new StringReader(text), $"mutated-{i}.csv", options);
                var frame = reader.Layout.CreateFrame();
                while (reader.TryReadFrame(frame))
                {
                }

                Assert.InRange(reader.Layout.SampleRateHz, RecordingReader.MinimumSampleRateHz, RecordingReader.MaximumSampleRateHz);
                Assert.All(reader.SkipReasons, r => Assert.InRange(r.Length, 1, RecordingMutator.MaxMessageLength));
                read++;
            }
            catch (RecordingFormatException e) when (e.Message.StartsWith($"mutated-{i}.csv", StringComparison.Ordinal) && e.Message.Length <= RecordingMutator.MaxMessageLength)
            {
                rejected++;
            }
            catch (Exception e)
            {
                failures.Add($"file {i}: {e.GetType().Name}: {RecordingMutator.Preview(e.Message)}\n  {RecordingMutator.Preview(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.Equal(MutatedFiles, read + rejected);
        Assert.InRange(read, 1, MutatedFiles - 1); // both outcomes occur, so the mutations reach past the header
    }

    private const string Comment = "# crampsense-recording v1 sample_rate_hz=1000 scenario=rest";

    /// <summary>Through the UTF-8 stream path, which files take; <see cref="TryReadFrame_TextAndStreamPaths_GiveTheSameFramesAndErrors"/> covers the text path.</summary>
    private static RecordingReader Open(string text, RecordingReaderOptions? options = null) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text)), "rec.csv", options);

    private static RecordingFormatException ReadAllExpectingError(string text)
    {
        return Assert.Throws<RecordingFormatException>(() =>
        {
            var reader = Open(text);
            var frame = reader.Layout.CreateFrame();
            while (reader.TryReadFrame(frame))
            {
            }
        });
    }

    [Fact]
    public void TryReadFrame_LinesOfOnlyWhiteSpace_AreSkippedAndTheRowsBetweenThemRead()
    {
        // Data rows start with a digit or a sign (the blank test's shortcut); these lines start with white space.
        var reader = Open(Comment + "\nt_s,emg.calf\n0.000,0.5\n \t\n\v\f\n0.001,0.25\n \n\t\n0.002,-0.125\n   \n");
        var frame = reader.Layout.CreateFrame();
        var values = new List<(double Time, float Emg)>();
        while (reader.TryReadFrame(frame))
        {
            values.Add((frame.TimeSeconds, frame.EmgMillivolts[0]));
        }

        Assert.Equal([(0.000, 0.5f), (0.001, 0.25f), (0.002, -0.125f)], values);
        Assert.Equal(0, reader.SkippedRows);
    }

    [Fact]
    public void Constructor_ReadsLayoutFromCommentAndHeader()
    {
        var reader = Open(Comment + "\nt_s,emg.calf,emg.foot,temp.skin,acc.x,acc.y,acc.z\n");

        Assert.Equal(1000, reader.Layout.SampleRateHz);
        Assert.Equal(["calf", "foot"], reader.Layout.Sites);
        Assert.True(reader.Layout.HasSkinTemperature);
        Assert.True(reader.Layout.HasAcceleration);
        Assert.Equal("rest", reader.Layout.Metadata["scenario"]);
        Assert.False(reader.Layout.Metadata.ContainsKey("sample_rate_hz"));
    }

    [Fact]
    public void TryReadFrame_SparseSlowColumns_SetsPresenceFlagsPerRow()
    {
        var reader = Open(Comment + "\nt_s,emg.calf,temp.skin,acc.x,acc.y,acc.z\n0.000,0.1,31.5,0,0,1\n0.001,0.2,,,,\n0.002,0.3,,0.5,-0.5,0.25\n");
        var frame = reader.Layout.CreateFrame();

        Assert.True(reader.TryReadFrame(frame));
        Assert.True(frame.HasSkinTemperature);
        Assert.Equal(31.5f, frame.SkinTemperatureCelsius);
        Assert.True(frame.HasAcceleration);
        Assert.Equal(1f, frame.AccelerationZG);

        Assert.True(reader.TryReadFrame(frame));
        Assert.Equal(0.001, frame.TimeSeconds);
        Assert.Equal(0.2f, frame.EmgMillivolts[0]);
        Assert.False(frame.HasSkinTemperature);
        Assert.False(frame.HasAcceleration);

        Assert.True(reader.TryReadFrame(frame));
        Assert.False(frame.HasSkinTemperature);
        Assert.True(frame.HasAcceleration);
        Assert.Equal(-0.5f, frame.AccelerationYG);
        Assert.False(reader.TryReadFrame(frame));
        Assert.Equal(3, reader.RowsRead);
    }

    [Fact]
    public void Constructor_ColumnsInAnyOrderAfterTime_MapsThemByName()
    {
        var reader = Open(Comment + "\nt_s,acc.z,emg.b,acc.x,temp.skin,emg.a,acc.y\n0,3,2,1,30,5,2\n");
        var frame = reader.Layout.CreateFrame();

        Assert.True(reader.TryReadFrame(frame));
        Assert.Equal(["b", "a"], reader.Layout.Sites);
        Assert.Equal([2f, 5f], frame.EmgMillivolts);
        Assert.Equal((1f, 2f, 3f), (frame.AccelerationXG, frame.AccelerationYG, frame.AccelerationZG));
        Assert.Equal(30f, frame.SkinTemperatureCelsius);
    }

    [Theory]
    [InlineData("0.000\n0.001\n0.002\n0.003\n", 1000)]
    [InlineData("0\n0.00025\n0.0005\n0.00075\n0.001\n", 4000)]
    [InlineData("10.00\n10.01\n10.02\n10.04\n10.05\n10.06\n", 100)]
    [InlineData("0\n0.0005\n", 2000)]
    public void Constructor_NoCommentLine_InfersRateFromMedianTimeSpacing(string times, double expected)
    {
        var rows = string.Join('\n', times.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => t + ",0.1"));
        var reader = Open("t_s,emg.calf\n" + rows + "\n");

        Assert.True(reader.SampleRateInferred);
        Assert.Equal(expected, reader.Layout.SampleRateHz);

        // The rows used for the inference are still returned, in order.
        var frame = reader.Layout.CreateFrame();
        var count = 0;
        while (reader.TryReadFrame(frame))
        {
            count++;
        }

        Assert.Equal(times.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, count);
    }

    [Fact]
    public void Constructor_NoCommentAndSingleRow_ThrowsCannotInferRate()
    {
        var error = Assert.Throws<RecordingFormatException>(() => Open("t_s,emg.calf\n0,1\n"));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("cannot infer the sample rate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "rec.csv: the file is empty")]
    [InlineData("\n\n", "rec.csv: the file is empty")]
    [InlineData(Comment + "\n", "rec.csv: there is no header row after the comment line")]
    [InlineData(Comment + "\ntime,emg.calf\n", "rec.csv line 2: the first column must be t_s, found 'time'")]
    [InlineData(Comment + "\nt_s,emg.calf,emg.calf\n", "rec.csv line 2, column emg.calf: the column appears twice")]
    [InlineData(Comment + "\nt_s,emg.calf,heart\n", "rec.csv line 2, column heart: unknown column")]
    [InlineData(Comment + "\nt_s,emg.Calf\n", "rec.csv line 2, column emg.Calf: 'Calf' is not a valid site name")]
    [InlineData(Comment + "\nt_s,temp.skin\n", "rec.csv line 2: the header has no emg.<site> column")]
    [InlineData(Comment + "\nt_s,emg.calf,acc.x,acc.y\n", "rec.csv line 2: acc.x, acc.y and acc.z must all be present")]
    [InlineData("# crampsense-recording v2 sample_rate_hz=1000\nt_s,emg.calf\n", "rec.csv line 1: unsupported format version 'v2'")]
    [InlineData("# something else\nt_s,emg.calf\n", "rec.csv line 1: a comment line must start with '# crampsense-recording v1'")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=fast\nt_s,emg.calf\n", "rec.csv line 1: sample_rate_hz='fast' is not a positive number")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=-5\nt_s,emg.calf\n", "rec.csv line 1: sample_rate_hz='-5' is not a positive number")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1000 lonely\nt_s,emg.calf\n", "rec.csv line 1: metadata 'lonely' is not key=value")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1000 a=1 a=2\nt_s,emg.calf\n", "rec.csv line 1: metadata key 'a' appears twice")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1000 note=\"open\nt_s,emg.calf\n", "rec.csv line 1: metadata 'note': the quoted value has no closing")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1000 9x=1\nt_s,emg.calf\n", "rec.csv line 1: metadata key '9x' is not valid")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1000 full_scale_mv=-3\nt_s,emg.calf\n", "rec.csv line 1: metadata full_scale_mv: '-3' is not a full scale in millivolts")]
    [InlineData("# crampsense-recording v1 sample_rate_hz=1000 full_scale_mv.calf=2:1\nt_s,emg.calf\n", "rec.csv line 1: metadata full_scale_mv.calf: '2:1' is not a full scale")]
    public void Constructor_BadHeaderOrComment_ThrowsNamingSourceLineAndColumn(string text, string expectedStart)
    {
        var error = Assert.Throws<RecordingFormatException>(() => Open(text));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
        Assert.Equal("rec.csv", error.SourceName);
    }

    [Theory]
    [InlineData("0.002,abc,1", 5, "emg.calf", "'abc' is not a number")]
    [InlineData("0.002,NaN,1", 5, "emg.calf", "'NaN' is not a finite number")]
    [InlineData("0.002,1,Infinity", 5, "emg.foot", "'Infinity' is not a finite number")]
    [InlineData("0.002,1,-1e40", 5, "emg.foot", "'-1e40' is not a finite number")]
    [InlineData("NaN,1,1", 5, "t_s", "'NaN' is not a finite number")]
    [InlineData("x,1,1", 5, "t_s", "'x' is not a number")]
    [InlineData("0.001,1,1", 5, "t_s", "time 0.001 s is not after the previous row's 0.001 s")]
    [InlineData("0.0005,1,1", 5, "t_s", "time 0.0005 s is not after the previous row's 0.001 s")]
    [InlineData("0.002,,1", 5, "emg.calf", "the cell is empty, but EMG needs a value on every row")]
    [InlineData("0.002,1", 5, null, "expected 3 columns (t_s,emg.calf,emg.foot), found 2")]
    [InlineData("0.002,1,2,3", 5, null, "expected 3 columns (t_s,emg.calf,emg.foot), found 4")]
    public void TryReadFrame_MalformedRow_ThrowsNamingLineAndColumn(string badRow, long line, string? column, string reason)
    {
        var text = Comment + "\nt_s,emg.calf,emg.foot\n0.000,1,1\n0.001,1,1\n" + badRow + "\n0.003,1,1\n";

        var error = ReadAllExpectingError(text);

        Assert.Equal(line, error.LineNumber);
        Assert.Equal(column, error.Column);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        var location = column is null ? $"rec.csv line {line}: " : $"rec.csv line {line}, column {column}: ";
        Assert.StartsWith(location + reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadFrame_PartialAcceleration_ThrowsNamingAccX()
    {
        var error = ReadAllExpectingError(Comment + "\nt_s,emg.calf,acc.x,acc.y,acc.z\n0,1,0.1,,0.3\n");

        Assert.Equal("rec.csv line 3, column acc.x: acc.x, acc.y and acc.z must all have a value or all be empty on a row", error.Message);
    }

    [Fact]
    public void TryReadFrame_NegativeTime_Throws()
    {
        var error = ReadAllExpectingError(Comment + "\nt_s,emg.calf\n-0.001,1\n");

        Assert.Equal("rec.csv line 3, column t_s: time -0.001 s is negative", error.Message);
    }

    [Fact]
    public void TryReadFrame_SkipBadRows_SkipsCountsAndKeepsFirstReasons()
    {
        var text = Comment + "\nt_s,emg.calf\n0.000,1\n0.001,oops\n0.002,2\n0.002,3\n\n0.003,NaN\n0.004,4\n0.005,5,6\n";
        var reader = Open(text, new RecordingReaderOptions { SkipBadRows = true, MaxKeptSkipReasons = 3 });
        var frame = reader.Layout.CreateFrame();
        var values = new List<(double, float)>();
        while (reader.TryReadFrame(frame))
        {
            values.Add((frame.TimeSeconds, frame.EmgMillivolts[0]));
        }

        Assert.Equal([(0.000, 1f), (0.002, 2f), (0.004, 4f)], values);
        Assert.Equal(3, reader.RowsRead);
        Assert.Equal(4, reader.SkippedRows);
        Assert.Equal(3, reader.SkipReasons.Count);
        Assert.Equal("rec.csv line 4, column emg.calf: 'oops' is not a number", reader.SkipReasons[0]);
        Assert.StartsWith("rec.csv line 6, column t_s: time 0.002 s is not after", reader.SkipReasons[1], StringComparison.Ordinal);
        Assert.StartsWith("rec.csv line 8, column emg.calf: 'NaN' is not a finite number", reader.SkipReasons[2], StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadFrame_CrlfAndSpacesAroundCells_AreAccepted()
    {
        var reader = Open(Comment + "\r\nt_s, emg.calf\r\n0.000, 1.5 \r\n");
        var frame = reader.Layout.CreateFrame();

        Assert.True(reader.TryReadFrame(frame));
        Assert.Equal(1.5f, frame.EmgMillivolts[0]);
    }

    [Fact]
    public void TryReadFrame_FrameOfWrongSize_Throws()
    {
        var reader = Open(Comment + "\nt_s,emg.calf\n0,1\n");

        Assert.Throws<ArgumentException>(() => reader.TryReadFrame(new RecordingFrame(2)));
    }

    [Fact]
    public void TryReadFrame_HourAt1kHzFromGenerator_StreamsWithoutReadingAhead()
    {
        // One hour, 4 channels, 1 kHz = 3.6 M rows produced lazily; the reader must never be more than one
        // line ahead of the row it returns (no buffering of the file).
        const int rows = 3_600_000;
        using var source = new GeneratedRecording(rows);
        var reader = new RecordingReader(source, "hour.csv");
        var frame = reader.Layout.CreateFrame();
        long count = 0;
        var maxAhead = 0L;
        while (reader.TryReadFrame(frame))
        {
            maxAhead = Math.Max(maxAhead, source.RowsProduced - (count + 1));
            if (count % 900_000 == 0)
            {
                Assert.Equal(count / 1000.0, frame.TimeSeconds);
                Assert.Equal(GeneratedRecording.Value(count, 3), frame.EmgMillivolts[3]);
            }

            count++;
        }

        Assert.Equal(rows, count);
        Assert.Equal(rows, reader.RowsRead);
        Assert.Equal(0, maxAhead);
        Assert.Equal(4, reader.Layout.Sites.Count);
    }

    [Fact]
    public void TryReadFrame_TextAndStreamPaths_GiveTheSameFramesAndErrors()
    {
        var random = new Random(17);
        var text = new StringBuilder(Comment + "\nt_s,emg.calf,emg.foot,temp.skin,acc.x,acc.y,acc.z\n");
        for (var row = 0; row < 2000; row++)
        {
            var slow = row % 10 == 0 ? $"{33 + random.NextDouble():F3},{random.NextDouble():F4},{random.NextDouble():F4},{random.NextDouble():F4}" : ",,,";
            text.Append(CultureInfo.InvariantCulture, $"{row / 1000.0:F3}, {random.NextDouble() - 0.5:G9},{(random.NextDouble() - 0.5) * 1e-3:E3},{slow}\r\n");
        }

        text.Append("2.000,1,oops,,,,\n");
        var fromText = ReadThrough(new RecordingReader(new StringReader(text.ToString()), "rec.csv"));
        var fromStream = ReadThrough(new RecordingReader(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), "rec.csv"));

        Assert.Equal(2000, fromText.Frames.Count);
        Assert.Equal(fromText.Frames, fromStream.Frames);
        Assert.Equal("rec.csv line 2003, column emg.foot: 'oops' is not a number", fromText.Error);
        Assert.Equal(fromText.Error, fromStream.Error);
    }

    private static (List<string> Frames, string? Error) ReadThrough(RecordingReader reader)
    {
        var frames = new List<string>();
        var frame = reader.Layout.CreateFrame();
        try
        {
            while (reader.TryReadFrame(frame))
            {
                frames.Add(string.Create(CultureInfo.InvariantCulture, $"{frame.TimeSeconds:R} {frame.EmgMillivolts[0]:R} {frame.EmgMillivolts[1]:R} {frame.HasSkinTemperature} {frame.SkinTemperatureCelsius:R} {frame.HasAcceleration} {frame.AccelerationXG:R} {frame.AccelerationZG:R}"));
            }

            return (frames, null);
        }
        catch (RecordingFormatException e)
        {
            return (frames, e.Message);
        }
    }

    [Fact]
    public void TryReadFrame_PlainRowsAndTheSameRowsPadded_GiveTheSameFrames()
    {
        // Plain rows take the one-pass parse, padded ones (spaces, more digits than it handles) the general one;
        // the general parse is the runtime's double/float parser, so both must give it bit for bit.
        string[] cells = ["0.004094006", "-0.0060408716", "9.5E-05", "-1e-7", "+2.5", "0", "-0.0", "1234.5678", "3.4028235E+38", "1.4E-45", "0.1000000000000000055511151231257827"];
        var plain = new StringBuilder(Comment + "\nt_s,emg.calf,temp.skin,acc.x,acc.y,acc.z\n");
        var padded = new StringBuilder(plain.ToString());
        for (var row = 0; row < cells.Length; row++)
        {
            var slow = row % 2 == 0 ? ",34.00808,-0.0074951304,-0.0068948353,1.0106871" : ",,,,";
            plain.Append(CultureInfo.InvariantCulture, $"{row / 1000.0:F3},{cells[row]}{slow}\n");
            padded.Append(CultureInfo.InvariantCulture, $" {row / 1000.0:F3} , {cells[row]} {slow.Replace(",", " , ", StringComparison.Ordinal)}\n");
        }

        using var fast = Open(plain.ToString());
        using var general = Open(padded.ToString());
        var (a, b) = (fast.Layout.CreateFrame(), general.Layout.CreateFrame());
        for (var row = 0; row < cells.Length; row++)
        {
            Assert.True(fast.TryReadFrame(a));
            Assert.True(general.TryReadFrame(b));
            var expected = float.Parse(cells[row], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(a.EmgMillivolts[0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(b.EmgMillivolts[0]));
            Assert.Equal(b.TimeSeconds, a.TimeSeconds);
            Assert.Equal((b.HasSkinTemperature, b.HasAcceleration), (a.HasSkinTemperature, a.HasAcceleration));
            Assert.Equal(row % 2 == 0, a.HasAcceleration);
            if (a.HasAcceleration)
            {
                Assert.Equal((b.SkinTemperatureCelsius, b.AccelerationXG, b.AccelerationYG, b.AccelerationZG), (a.SkinTemperatureCelsius, a.AccelerationXG, a.AccelerationYG, a.AccelerationZG));
            }
        }

        Assert.False(fast.TryReadFrame(a));
        Assert.False(general.TryReadFrame(b));
    }

    [Fact]
    public void Constructor_Utf8ByteOrderMark_IsSkipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Comment + "\nt_s,emg.calf\n0,1\n")).ToArray();
        using var reader = new RecordingReader(new MemoryStream(bytes), "rec.csv");
        var frame = reader.Layout.CreateFrame();

        Assert.Equal(1000, reader.Layout.SampleRateHz);
        Assert.True(reader.TryReadFrame(frame));
        Assert.Equal(1f, frame.EmgMillivolts[0]);
    }

    [Theory]
    [InlineData("0.002,1.5", true)]
    [InlineData("0.002,", false)]
    [InlineData("0.00", false)]
    public void TryReadFrame_LastLineWithoutLineEnd_IsARowWhenWholeElseSkippedAsIncomplete(string lastLine, bool whole)
    {
        using var reader = Open(Comment + "\nt_s,emg.calf\n0.000,1\n0.001,2\n" + lastLine);
        var frame = reader.Layout.CreateFrame();
        var rows = 0;
        while (reader.TryReadFrame(frame))
        {
            rows++;
        }

        Assert.Equal(whole ? 3 : 2, rows);
        Assert.Equal(!whole, reader.IncompleteLastRow);
        Assert.Equal(whole ? 0 : 1, reader.SkippedRows);
        if (!whole)
        {
            Assert.StartsWith("rec.csv line 5", reader.SkipReasons.Single(), StringComparison.Ordinal);
            Assert.Contains("the last row has no line end and is incomplete", reader.SkipReasons.Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryReadFrame_BadLastRowWithLineEnd_IsStillAnError()
    {
        var error = ReadAllExpectingError(Comment + "\nt_s,emg.calf\n0.000,1\n0.001,\n");

        Assert.Equal(4, error.LineNumber);
        Assert.False(error.Message.Contains("incomplete", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenFile_RecordingStillBeingWritten_ReadsTheWholeRowsWrittenSoFar()
    {
        var path = Path.Combine(Path.GetTempPath(), $"crampsense-growing-{Guid.NewGuid():N}.csv");
        try
        {
            using var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            var written = Encoding.UTF8.GetBytes(Comment + "\nt_s,emg.calf\n0.000,1\n0.001,2\n0.002,-0.0");
            writer.Write(written);
            writer.Flush();

            using var stream = RecordingReader.OpenFile(path);
            using var reader = new RecordingReader(stream, path);
            var frame = reader.Layout.CreateFrame();
            var times = new List<double>();
            while (reader.TryReadFrame(frame))
            {
                times.Add(frame.TimeSeconds);
            }

            // The cut "-0.0" parses, so the last row counts; the writer is still open and nothing failed.
            Assert.Equal([0.000, 0.001, 0.002], times);
            Assert.True(writer.CanWrite);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void TryReadFrame_StillBeingWritten_ReadsEveryCompleteRowAsTheWriterAppendsAndNeverAPartialOne(int chunkBytes)
    {
        // Values whose cuts still parse ("-0.0123" cut to "-0.01"): only the missing line end tells a partial row.
        var text = new StringBuilder(Comment + "\nt_s,emg.calf,temp.skin\n");
        for (var row = 0; row < 60; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row / 1000.0:0.000},{-0.0123 * (row + 1):0.0####},{(row % 3 == 0 ? "33.25" : string.Empty)}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var headerBytes = Encoding.UTF8.GetByteCount(Comment + "\nt_s,emg.calf,temp.skin\n");
        var path = Path.Combine(Path.GetTempPath(), $"crampsense-growing-{Guid.NewGuid():N}.csv");
        try
        {
            using var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
            writer.Write(bytes, 0, headerBytes);
            writer.Flush();
            using var stream = RecordingReader.OpenFile(path);
            using var reader = new RecordingReader(stream, path, new RecordingReaderOptions { StillBeingWritten = true });
            var frame = reader.Layout.CreateFrame();
            var read = new List<(double Time, float Emg, bool HasTemperature)>();

            // The writer appends a chunk, the reader reads what is there, in turn: every interleaving of the two
            // at chunk boundaries, deterministically, with cuts inside numbers, cells and line ends.
            for (var written = headerBytes; written < bytes.Length;)
            {
                var chunk = Math.Min(chunkBytes, bytes.Length - written);
                writer.Write(bytes, written, chunk);
                writer.Flush();
                written += chunk;
                while (reader.TryReadFrame(frame))
                {
                    read.Add((frame.TimeSeconds, frame.EmgMillivolts[0], frame.HasSkinTemperature));
                }

                var completeRows = bytes.AsSpan(headerBytes, written - headerBytes).Count((byte)'\n');
                Assert.Equal(completeRows, read.Count);
            }

            using var whole = Open(text.ToString());
            var expected = new List<(double Time, float Emg, bool HasTemperature)>();
            var wholeFrame = whole.Layout.CreateFrame();
            while (whole.TryReadFrame(wholeFrame))
            {
                expected.Add((wholeFrame.TimeSeconds, wholeFrame.EmgMillivolts[0], wholeFrame.HasSkinTemperature));
            }

            Assert.Equal(60, expected.Count);
            Assert.Equal(expected, read);
            Assert.Equal(0, reader.SkippedRows);
            Assert.False(reader.IncompleteLastRow);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryReadFrame_StillBeingWrittenAndTheLastLineHasNoLineEnd_HoldsItBackInsteadOfSkippingIt()
    {
        var bytes = Encoding.UTF8.GetBytes(Comment + "\nt_s,emg.calf\n0.000,1\n0.001,2\n0.002,1.5");
        using var reader = new RecordingReader(new MemoryStream(bytes), "rec.csv", new RecordingReaderOptions { StillBeingWritten = true });
        var frame = reader.Layout.CreateFrame();
        var rows = 0;
        while (reader.TryReadFrame(frame))
        {
            rows++;
        }

        Assert.Equal(2, rows);
        Assert.Equal(0, reader.SkippedRows);
        Assert.False(reader.IncompleteLastRow);
        Assert.False(reader.TryReadFrame(frame)); // still there, still not a row
    }

    [Fact]
    public void TryReadFrame_LineLongerThanTheLimit_FailsOrIsSkippedNamingItsLine()
    {
        var huge = "0.002," + new string('1', Utf8LineSource.MaximumLineBytes + 10);
        var text = Comment + "\nt_s,emg.calf\n0.000,1\n0.001,1\n" + huge + "\n0.003,3\n";

        var error = ReadAllExpectingError(text);
        using var skipping = Open(text, new RecordingReaderOptions { SkipBadRows = true });
        var frame = skipping.Layout.CreateFrame();
        var times = new List<double>();
        while (skipping.TryReadFrame(frame))
        {
            times.Add(frame.TimeSeconds);
        }

        Assert.Equal("rec.csv line 5: the line is longer than 1 MiB, which no recording row is", error.Message);
        Assert.Equal([0.000, 0.001, 0.003], times);
        Assert.Equal(1, skipping.SkippedRows);
    }

    [Fact]
    public void TryReadFrame_SteadyStateFromAStream_AllocatesNothingPerRow()
    {
        var text = new StringBuilder(Comment + "\nt_s,emg.calf,emg.foot,emg.quad,emg.shin,temp.skin,acc.x,acc.y,acc.z\n");
        for (var row = 0; row < 40_000; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row / 1000.0:F3},{row % 97 * 1e-3:G6},-0.0123,{row % 13 * 0.1:F2},1e-3,{(row % 20 == 0 ? "33.1,0.01,-0.02,0.98" : ",,,")}\n");
        }

        var readers = new List<RecordingReader>();
        var rows = 0;
        var allocated = SteadyStateAllocation.BytesOfSecondRun(() =>
        {
            var reader = Open(text.ToString());
            readers.Add(reader);
            var frame = reader.Layout.CreateFrame();
            for (var row = 0; row < 10_000; row++)
            {
                Assert.True(reader.TryReadFrame(frame));
            }

            rows = 0;
            return () =>
            {
                while (reader.TryReadFrame(frame))
                {
                    rows++;
                }
            };
        });

        readers.ForEach(r => r.Dispose());
        Assert.Equal(30_000, rows);
        Assert.Equal(0, allocated);
    }

    /// <summary>A TextReader that makes up a 4-channel recording line by line, holding nothing.</summary>
    private sealed class GeneratedRecording(long rows) : TextReader
    {
        private long _next = -2;

        public long RowsProduced => Math.Max(0, _next);

        public static float Value(long row, int channel) => (float)((row % 997) - 498) / 1000f + channel;

        public override string? ReadLine()
        {
            var index = _next++;
            return index switch
            {
                -2 => "# crampsense-recording v1 sample_rate_hz=1000",
                -1 => "t_s,emg.calf,emg.hamstring,emg.quadriceps,emg.foot",
                _ when index >= rows => null,
                _ => string.Create(CultureInfo.InvariantCulture, $"{index / 1000.0:F3},{Value(index, 0)},{Value(index, 1)},{Value(index, 2)},{Value(index, 3)}"),
            };
        }

        public override int Peek() => throw new NotSupportedException("The reader should only read whole lines.");

        public override int Read() => throw new NotSupportedException("The reader should only read whole lines.");
    }
}
