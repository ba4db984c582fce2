using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Recordings;

/// <summary>
/// Parses a recording cell's number from UTF-8, with the same result as <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>
/// and <see cref="float.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out float)"/> (invariant culture,
/// <see cref="NumberStyles.Float"/>), bit for bit.
/// </summary>
/// <remarks>
/// Why our own: number parsing is most of a replay's reading cost, and the runtime's general parser handles
/// cultures, grouping and arbitrary precision that a cell never has. The fast path covers the plain decimals
/// recorders write (sign, up to 19 digits, a point, an exponent) and is exact by Clinger's fast path (1990,
/// "How to read floating point numbers accurately"): a mantissa below 2^53 times or divided by an exactly
/// representable power of ten ≤ 10^22 is one correctly rounded operation. A float is the double rounded once
/// more, which equals the directly rounded float unless the double lands exactly on a midpoint between two floats;
/// that case, anything unusual (NaN, infinities, more digits, other characters) and anything outside the normal
/// float range go to the runtime's parser, so the result never differs from it.
/// </remarks>
internal static class RecordingNumber
{
    private const ulong MaximumExactMantissa = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];

    /// <summary>Parses a double as the runtime's invariant <see cref="NumberStyles.Float"/> parser would.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value) =>
        TryParseFast(utf8, out value) || double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a float as the runtime's invariant <see cref="NumberStyles.Float"/> parser would.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out float value)
    {
        if (TryParseFast(utf8, out var wide) && IsSafelyNarrowed(wide))
        {
            value = (float)wide;
            return true;
        }

        return float.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// True when rounding <paramref name="value"/> to float gives the same as rounding the decimal directly: the
    /// value is zero or a normal float's magnitude, and not exactly halfway between two floats (the low 29 of the
    /// double's 52 fraction bits are not 1000…0).
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    internal static bool IsSafelyNarrowed(double value)
    {
        if (value == 0)
        {
            return true;
        }

        var magnitude = Math.Abs(value);
        if (magnitude is < float.Epsilon * (1 << 23) or > float.MaxValue)
        {
            return false;
        }

        const ulong lowBits = (1UL << 29) - 1;
        return (BitConverter.DoubleToUInt64Bits(value) & lowBits) != 1UL << 28;
    }

    private static bool TryParseFast(ReadOnlySpan<byte> s, out double value)
    {
        var position = 0;
        return TryParsePrefix(s, ref position, out value) && position == s.Length;
    }

    /// <summary>
    /// Parses the plain decimal that starts at <paramref name="position"/> of <paramref name="s"/> by the fast path
    /// and moves <paramref name="position"/> behind it; the caller checks what follows (the row parser: a comma or
    /// the line's end, so a cell is parsed in the same pass that finds its end). False when the number is not one
    /// the fast path takes exactly; <paramref name="position"/> is then unspecified.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    internal static bool TryParsePrefix(ReadOnlySpan<byte> s, ref int position, out double value)
    {
        value = 0;
        var i = position;
        var negative = false;
        if (i < s.Length && (s[i] == (byte)'-' || s[i] == (byte)'+'))
        {
            negative = s[i] == (byte)'-';
            i++;
        }

        ulong mantissa = 0;
        var significantDigits = 0;
        var digits = 0;
        var exponent = 0;

        var integerDigits = AccumulateDigits(s, ref i, ref mantissa, ref significantDigits);
        if (integerDigits < 0)
        {
            return false;
        }

        digits += integerDigits;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            var fractionDigits = AccumulateDigits(s, ref i, ref mantissa, ref significantDigits);
            if (fractionDigits < 0)
            {
                return false;
            }

            digits += fractionDigits;
            exponent -= fractionDigits;
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

            var written = 0;
            var start = i;
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

        if (mantissa > MaximumExactMantissa || exponent is < -22 or > 22)
        {
            return false;
        }

        double magnitude = mantissa;
        magnitude = exponent < 0 ? magnitude / PowersOfTen[-exponent] : magnitude * PowersOfTen[exponent];
        value = negative ? -magnitude : magnitude;
        position = i;
        return true;
    }

    /// <summary>Adds a digit; leading zeros are not significant. False past 19 significant digits (ulong's reach).</summary>
    private static bool Accumulate(byte digit, ref ulong mantissa, ref int significantDigits)
    {
        if (mantissa == 0 && digit == (byte)'0')
        {
            return true;
        }

        if (++significantDigits > 19)
        {
            return false;
        }

        mantissa = (mantissa * 10) + (ulong)(digit - '0');
        return true;
    }

    /// <summary>
    /// Adds the run of digits from <paramref name="i"/> to the mantissa (moving <paramref name="i"/> past it) and returns
    /// its length, or −1 when the significant digits would pass 19. Eight at a time while the run has eight (SWAR, Lemire
    /// 2018): cells written with float's round-trip precision (the simulators') carry 8–10 digits, which one at a time are
    /// a chain of dependent multiply-adds; then one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AccumulateDigits(ReadOnlySpan<byte> s, ref int i, ref ulong mantissa, ref int significantDigits)
    {
        var start = i;
        while (i <= s.Length - 8 && DigitRun(s.Slice(i, 8), out var eight))
        {
            if (!AccumulateEight(eight, ref mantissa, ref significantDigits))
            {
                return -1;
            }

            i += 8;
        }

        for (; i < s.Length && IsDigit(s[i]); i++)
        {
            if (!Accumulate(s[i], ref mantissa, ref significantDigits))
            {
                return -1;
            }
        }

        return i - start;
    }

    /// <summary>
    /// Adds eight digits (their bytes read as one little-endian word, <see cref="DigitRun"/>) as eight calls of
    /// <see cref="Accumulate"/> would: leading zeros of a still-zero mantissa are not significant, and false when the
    /// significant digits would pass 19 (where <see cref="Accumulate"/> fails within these eight too).
    /// </summary>
    private static bool AccumulateEight(ulong word, ref ulong mantissa, ref int significantDigits)
    {
        var value = EightDigitsValue(word);
        if (mantissa == 0)
        {
            // The leading '0' bytes are the low bytes of the word; their low nibbles are 0.
            var nibbles = word & 0x0F0F0F0F0F0F0F0FUL;
            significantDigits = nibbles == 0 ? 0 : 8 - (BitOperations.TrailingZeroCount(nibbles) / 8);
            mantissa = value;
            return true;
        }

        significantDigits += 8;
        if (significantDigits > 19)
        {
            return false;
        }

        mantissa = (mantissa * 100_000_000) + value;
        return true;
    }

    /// <summary>
    /// True when the eight bytes are all ASCII digits; <paramref name="word"/> gets them as one little-endian word (the
    /// first digit in the low byte). SWAR test of Lemire (2018): adding 6 to each byte carries into its high nibble
    /// exactly for the bytes above '9', so the high nibbles of the bytes and of the bytes + 6 are all 3 only for '0'–'9'.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool DigitRun(ReadOnlySpan<byte> eight, out ulong word)
    {
        word = BinaryPrimitives.ReadUInt64LittleEndian(eight);
        var highNibbles = word & 0xF0F0F0F0F0F0F0F0UL;
        var highNibblesPlusSix = (word + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL;
        return (highNibbles | (highNibblesPlusSix >> 4)) == 0x3333333333333333UL;
    }

    /// <summary>
    /// The value of eight ASCII digits in a little-endian word (<see cref="DigitRun"/>), in three multiplications that
    /// each join neighbouring groups (1 → 2 → 4 → 8 digits): Lemire (2018), "Quickly parsing eight digits", the step
    /// fast_float uses (Lemire 2021, "Number parsing at a gigabyte per second", Softw. Pract. Exp. 51(8)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint EightDigitsValue(ulong word)
    {
        word = ((word & 0x0F0F0F0F0F0F0F0FUL) * 2561) >> 8;
        word = ((word & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        return (uint)(((word & 0x0000FFFF0000FFFFUL) * 42949672960001) >> 32);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
