using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests.Recordings;

public sealed class RecordingWriterTests
{
    private static RecordingLayout Layout(double rate = 1000, bool temp = true, bool acc = true, Dictionary<string, string>? metadata = null) =>
        new(rate, ["calf", "hamstring"], temp, acc, metadata);

    [Fact]
    public void Constructor_WritesCommentLineWithRateAndSortedMetadataThenHeader()
    {
        var text = new StringWriter { NewLine = "\n" };
        _ = new RecordingWriter(text, Layout(metadata: new() { ["seed"] = "7", ["scenario"] = "night cramp" }));

        var lines = text.ToString().Split('\n');
        Assert.Equal("# crampsense-recording v1 sample_rate_hz=1000 scenario=\"night cramp\" seed=7", lines[0]);
        Assert.Equal("t_s,emg.calf,emg.hamstring,temp.skin,acc.x,acc.y,acc.z", lines[1]);
    }

    [Fact]
    public void Write_SlowSignalsAbsent_LeavesTheirCellsEmpty()
    {
        var text = new StringWriter { NewLine = "\n" };
        var writer = new RecordingWriter(text, Layout());
        var frame = writer.Layout.CreateFrame();
        frame.TimeSeconds = 0.002;
        frame.EmgMillivolts[0] = 0.5f;
        frame.EmgMillivolts[1] = -0.25f;
        writer.Write(frame);
        frame.TimeSeconds = 0.003;
        frame.HasSkinTemperature = true;
        frame.SkinTemperatureCelsius = 31.5f;
        writer.Write(frame);

        var lines = text.ToString().Split('\n');
        Assert.Equal("0.002,0.5,-0.25,,,,", lines[2]);
        Assert.Equal("0.003,0.5,-0.25,31.5,,,", lines[3]);
        Assert.Equal(2, writer.RowsWritten);
    }

    [Theory]
    [InlineData(1000, 3)]
    [InlineData(4000, 5)]
    [InlineData(100, 2)]
    [InlineData(1, 0)]
    [InlineData(3, 9)]
    public void TimeDecimals_AreTheFewestThatRepresentTheSampleClockExactly(double rate, int expected)
    {
        var writer = new RecordingWriter(new StringWriter(), Layout(rate));

        Assert.Equal(expected, writer.TimeDecimals);
    }

    [Fact]
    public void Write_ThenRead_ReturnsTheSameValuesBitForBit()
    {
        // Floats are written in shortest round-trip form, so the tolerance is zero: values must be identical.
        var random = new Random(3);
        var text = new StringWriter();
        var layout = Layout(4000, metadata: new() { ["source"] = "unit test = 100%" });
        var writer = new RecordingWriter(text, layout);
        var frame = layout.CreateFrame();
        var written = new List<(double T, float A, float B, bool HasTemp, float Temp, bool HasAcc, float X)>();
        for (var n = 0; n < 5000; n++)
        {
            frame.TimeSeconds = n / 4000.0;
            frame.EmgMillivolts[0] = (float)(random.NextDouble() - 0.5) * 3;
            frame.EmgMillivolts[1] = (float)(random.NextDouble() * 1e-4);
            frame.HasSkinTemperature = n % 4000 == 0;
            frame.SkinTemperatureCelsius = 30 + (float)random.NextDouble();
            frame.HasAcceleration = n % 40 == 0;
            frame.AccelerationXG = (float)random.NextDouble();
            frame.AccelerationYG = -1f;
            frame.AccelerationZG = 1e-7f;
            writer.Write(frame);
            written.Add((frame.TimeSeconds, frame.EmgMillivolts[0], frame.EmgMillivolts[1], frame.HasSkinTemperature, frame.SkinTemperatureCelsius, frame.HasAcceleration, frame.AccelerationXG));
        }

        var reader = new RecordingReader(new StringReader(text.ToString()), "rt.csv");
        Assert.Equal(4000, reader.Layout.SampleRateHz);
        Assert.Equal("unit test = 100%", reader.Layout.Metadata["source"]);
        Assert.False(reader.SampleRateInferred);
        var read = reader.Layout.CreateFrame();
        foreach (var expected in written)
        {
            Assert.True(reader.TryReadFrame(read));
            Assert.Equal(expected.T, read.TimeSeconds);
            Assert.Equal(expected.A, read.EmgMillivolts[0]);
            Assert.Equal(expected.B, read.EmgMillivolts[1]);
            Assert.Equal(expected.HasTemp, read.HasSkinTemperature);
            Assert.Equal(expected.HasAcc, read.HasAcceleration);
            if (expected.HasTemp)
            {
                Assert.Equal(expected.Temp, read.SkinTemperatureCelsius);
            }

            if (expected.HasAcc)
            {
                Assert.Equal(expected.X, read.AccelerationXG);
                Assert.Equal(-1f, read.AccelerationYG);
                Assert.Equal(1e-7f, read.AccelerationZG);
            }
        }

        Assert.False(reader.TryReadFrame(read));
        Assert.Equal(5000, reader.RowsRead);
    }

    [Fact]
    public void Write_NaN_ThrowsNamingTheColumn()
    {
        var writer = new RecordingWriter(new StringWriter(), Layout());
        var frame = writer.Layout.CreateFrame();
        frame.EmgMillivolts[1] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => writer.Write(frame));
        Assert.Contains("hamstring", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TimeNotIncreasing_Throws()
    {
        var writer = new RecordingWriter(new StringWriter(), Layout());
        var frame = writer.Layout.CreateFrame();
        frame.TimeSeconds = 1;
        writer.Write(frame);

        Assert.Throws<ArgumentException>(() => writer.Write(frame));
    }

    [Fact]
    public void Constructor_ReservedMetadataKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RecordingWriter(new StringWriter(), Layout(metadata: new() { ["sample_rate_hz"] = "5" })));
        Assert.Throws<ArgumentException>(() => new RecordingWriter(new StringWriter(), Layout(metadata: new() { ["bad key"] = "5" })));
        Assert.Throws<ArgumentException>(() => new RecordingWriter(new StringWriter(), Layout(metadata: new() { ["note"] = "two\nlines" })));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("with spaces and = signs")]
    [InlineData("quote \" and backslash \\ inside")]
    [InlineData("\"")]
    [InlineData("ends with backslash \\")]
    [InlineData("µV, °C and ünïcode")]
    public void Metadata_WrittenThenRead_IsUnchanged(string value)
    {
        var text = new StringWriter();
        _ = new RecordingWriter(text, Layout(metadata: new() { ["a"] = "1", ["note"] = value, ["z"] = "last" }));
        var reader = new RecordingReader(new StringReader(text + "0,1,2,,,,\n0.001,1,2,,,,\n"), "m.csv");

        Assert.Equal(value, reader.Layout.Metadata["note"]);
        Assert.Equal("1", reader.Layout.Metadata["a"]);
        Assert.Equal("last", reader.Layout.Metadata["z"]);
    }

    [Fact]
    public void Write_ManySites_GrowsItsRowBuffer()
    {
        var sites = Enumerable.Range(0, 40).Select(i => $"s{i}").ToList();
        var text = new StringWriter();
        var writer = new RecordingWriter(text, new RecordingLayout(1000, sites, false, false));
        var frame = writer.Layout.CreateFrame();
        Array.Fill(frame.EmgMillivolts, -1.2345678f);
        writer.Write(frame);

        var reader = new RecordingReader(new StringReader(text.ToString()), "wide.csv");
        var read = reader.Layout.CreateFrame();
        Assert.True(reader.TryReadFrame(read));
        Assert.All(read.EmgMillivolts, v => Assert.Equal(-1.2345678f, v));
    }
}
