using System.Numerics;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// One biquad, H(z) = (B0 + B1 z⁻¹ + B2 z⁻²) / (1 + A1 z⁻¹ + A2 z⁻²), with the leading denominator
/// coefficient normalised to 1 (the layout of one row of scipy's <c>sos</c> array without a0).
/// </summary>
public readonly record struct SecondOrderSection(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>Builds a section from numerator and denominator coefficients, normalising by a0.</summary>
    public static SecondOrderSection FromCoefficients(ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator)
    {
        if (numerator.Length is 0 or > 3 || denominator.Length is 0 or > 3)
        {
            throw new ArgumentException("A second-order section has at most three numerator and three denominator coefficients.");
        }

        double a0 = denominator[0];
        if (a0 == 0 || !double.IsFinite(a0))
        {
            throw new ArgumentException("The leading denominator coefficient must be finite and non-zero.", nameof(denominator));
        }

        static double At(ReadOnlySpan<double> c, int i) => i < c.Length ? c[i] : 0.0;
        return new SecondOrderSection(
            At(numerator, 0) / a0,
            At(numerator, 1) / a0,
            At(numerator, 2) / a0,
            At(denominator, 1) / a0,
            At(denominator, 2) / a0);
    }

    /// <summary>Complex frequency response at <paramref name="frequencyHz"/> for a sample rate <paramref name="sampleRateHz"/>.</summary>
    public Complex Response(double frequencyHz, double sampleRateHz)
    {
        var z1 = Complex.FromPolarCoordinates(1, -2 * Math.PI * frequencyHz / sampleRateHz);
        var z2 = z1 * z1;
        return (B0 + (B1 * z1) + (B2 * z2)) / (1 + (A1 * z1) + (A2 * z2));
    }
}
