using System.Globalization;
using System.Text;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests.Recordings;

public sealed class RecordingNumberTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("+1.5")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-0.0074951304")]
    [InlineData("1.0106871")]
    [InlineData("3600.000")]
    [InlineData("1e5")]
    [InlineData("1E+05")]
    [InlineData("2.5e-3")]
    [InlineData("1e-0005")]
    [InlineData("-1e40")]
    [InlineData("1e39")]
    [InlineData("1e-46")]
    [InlineData("1.17549435e-38")]
    [InlineData("3.4028235e38")]
    [InlineData("3.40282357e38")]
    [InlineData("12345678901234567890123")]
    [InlineData("0.000000000000000000000000001")]
    [InlineData("9007199254740993")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1,5")]
    [InlineData("1e")]
    [InlineData("e5")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData("")]
    public void TryParse_EdgeCases_AgreeWithTheRuntimeBitForBit(string text) => AssertAgrees(text);

    [Fact]
    public void TryParse_200000RandomCellsInTheFormatsRecordersWrite_AgreeWithTheRuntimeBitForBit()
    {
        var random = new Random(20261201);
        string[] formats = ["R", "G9", "G17", "F3", "F6", "E3", "E8", "G6"];
        for (var i = 0; i < 200_000; i++)
        {
            var magnitude = Math.Pow(10, random.Next(-12, 8));
            var value = (random.NextDouble() - 0.5) * magnitude;
            var text = i % 2 == 0
                ? ((float)value).ToString(formats[random.Next(formats.Length)], CultureInfo.InvariantCulture)
                : value.ToString(formats[random.Next(formats.Length)], CultureInfo.InvariantCulture);
            AssertAgrees(text);
        }
    }

    [Fact]
    public void TryParse_NumbersAtAndNearFloatMidpoints_RoundLikeTheRuntime()
    {
        // 2^24 + 1 lies exactly halfway between two floats: ties go to even, and a double that lands on the
        // midpoint must not be rounded a second time blindly.
        for (long m = (1L << 24) + 1; m < (1L << 24) + 2001; m += 2)
        {
            AssertAgrees(m.ToString(CultureInfo.InvariantCulture));
            AssertAgrees((m / 1e6).ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static void AssertAgrees(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var expectedDouble = double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out var d);
        var expectedFloat = float.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out var f);

        Assert.Equal(expectedDouble, RecordingNumber.TryParse(utf8, out double actualDouble));
        Assert.Equal(expectedFloat, RecordingNumber.TryParse(utf8, out float actualFloat));
        Assert.True(BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(actualDouble), $"double '{text}': {d:R} vs {actualDouble:R}");
        Assert.True(BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(actualFloat), $"float '{text}': {f:R} vs {actualFloat:R}");
    }
}
