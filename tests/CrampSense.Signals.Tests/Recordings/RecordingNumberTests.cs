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

    [Fact]
    public void DigitRun_EightBytes_TrueExactlyWhenAllAreAsciiDigitsAndGivesTheirValue()
    {
        // Every byte value at every one of the eight positions among digits: only '0'–'9' pass, and the value is the
        // decimal the eight digits write.
        var random = new Random(1701);
        var bytes = new byte[8];
        for (var position = 0; position < 8; position++)
        {
            for (var b = 0; b < 256; b++)
            {
                for (var k = 0; k < 8; k++)
                {
                    bytes[k] = (byte)('0' + random.Next(10));
                }

                bytes[position] = (byte)b;
                var isDigit = b is >= '0' and <= '9';
                Assert.Equal(isDigit, RecordingNumber.DigitRun(bytes, out var word));
                if (isDigit)
                {
                    Assert.Equal(uint.Parse(Encoding.ASCII.GetString(bytes), CultureInfo.InvariantCulture), RecordingNumber.EightDigitsValue(word));
                }
            }
        }
    }

    [Fact]
    public void TryParsePrefix_DigitRunsOfEveryLength0To20WithAnErrorAtEveryPosition_SameAsDigitByDigit()
    {
        // Integer and fraction runs of 0–20 digits (leading zeros included, so runs of eight start before and after the
        // first significant digit, and 19-digit limits fall inside a block), then each of the cell's bytes replaced by a
        // non-digit in turn; the cell is followed by the rest of a row as in the reader. Result, value and end position
        // must be those of the digit-by-digit parser, and the runtime must agree on the cell alone.
        var random = new Random(1702);
        byte[] intruders = [(byte)'/', (byte)':', (byte)'.', (byte)',', (byte)'e', (byte)'-', (byte)' ', 0, 0x80, 0xFF, (byte)('0' + 10), (byte)('0' - 1)];
        var cells = 0;
        for (var integerDigits = 0; integerDigits <= 20; integerDigits++)
        {
            for (var fractionDigits = 0; fractionDigits <= 20; fractionDigits++)
            {
                for (var draw = 0; draw < 3; draw++)
                {
                    var text = new StringBuilder();
                    text.Append(random.Next(3) switch { 0 => "-", 1 => "+", _ => string.Empty });
                    var zeros = random.Next(integerDigits + 1);
                    for (var k = 0; k < integerDigits; k++)
                    {
                        text.Append(k < zeros ? '0' : (char)('0' + random.Next(10)));
                    }

                    if (fractionDigits > 0 || random.Next(2) == 0)
                    {
                        text.Append('.');
                        var fractionZeros = random.Next(fractionDigits + 1);
                        for (var k = 0; k < fractionDigits; k++)
                        {
                            text.Append(k < fractionZeros ? '0' : (char)('0' + random.Next(10)));
                        }
                    }

                    if (random.Next(4) == 0)
                    {
                        text.Append(random.Next(2) == 0 ? "e-" : "E").Append(random.Next(30));
                    }

                    var cell = Encoding.ASCII.GetBytes(text.ToString());
                    AssertSameAsDigitByDigit(cell);
                    AssertAgrees(text.ToString());
                    cells++;
                    for (var position = 0; position < cell.Length; position++)
                    {
                        var broken = (byte[])cell.Clone();
                        broken[position] = intruders[random.Next(intruders.Length)];
                        AssertSameAsDigitByDigit(broken);
                        cells++;
                    }
                }
            }
        }

        Assert.True(cells > 10_000, $"{cells} cells");
    }

    /// <summary>The cell alone and followed by the rest of a row: the same as <see cref="DigitByDigitPrefix"/> (the parser before eight-digit runs).</summary>
    private static void AssertSameAsDigitByDigit(byte[] cell)
    {
        foreach (var suffix in new[] { string.Empty, ",0.12345678,", "12345678" })
        {
            var row = cell.Concat(Encoding.ASCII.GetBytes(suffix)).ToArray();
            var expectedPosition = 0;
            var expected = DigitByDigitPrefix(row, ref expectedPosition, out var expectedValue);
            var position = 0;
            var actual = RecordingNumber.TryParsePrefix(row, ref position, out var value);
            var label = Encoding.Latin1.GetString(row);
            Assert.True(expected == actual, $"'{label}': {expected} expected");
            if (expected)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expectedValue) == BitConverter.DoubleToInt64Bits(value), $"'{label}': {expectedValue:R} vs {value:R}");
                Assert.True(expectedPosition == position, $"'{label}': end {expectedPosition} vs {position}");
            }
        }
    }

    /// <summary>RecordingNumber.TryParsePrefix as it was before eight-digit runs (main 451027d): one digit at a time.</summary>
    private static bool DigitByDigitPrefix(ReadOnlySpan<byte> s, ref int position, out double value)
    {
        double[] powers = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
        value = 0;
        var i = position;
        var negative = false;
        if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
        {
            negative = s[i] == (byte)'-';
            i++;
        }

        ulong mantissa = 0;
        int significant = 0, digits = 0, exponent = 0;
        bool Accumulate(byte digit)
        {
            if (mantissa == 0 && digit == (byte)'0')
            {
                return true;
            }

            if (++significant > 19)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (ulong)(digit - '0');
            return true;
        }

        static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
        for (; i < s.Length && IsDigit(s[i]); i++, digits++)
        {
            if (!Accumulate(s[i]))
            {
                return false;
            }
        }

        if (i < s.Length && s[i] == (byte)'.')
        {
            for (i++; i < s.Length && IsDigit(s[i]); i++, digits++)
            {
                if (!Accumulate(s[i]))
                {
                    return false;
                }

                exponent--;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            var exponentNegative = false;
            if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
            {
                exponentNegative = s[i] == (byte)'-';
                i++;
            }

            int written = 0, start = i;
            for (; i < s.Length && IsDigit(s[i]); i++)
            {
                if (i - start >= 4)
                {
                    return false;
                }

                written = (written * 10) + (s[i] - '0');
            }

            if (i == start)
            {
                return false;
            }

            exponent += exponentNegative ? -written : written;
        }

        if (mantissa > 1UL << 53 || exponent is < -22 or > 22)
        {
            return false;
        }

        double magnitude = mantissa;
        magnitude = exponent < 0 ? magnitude / powers[-exponent] : magnitude * powers[exponent];
        value = negative ? -magnitude : magnitude;
        position = i;
        return true;
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
