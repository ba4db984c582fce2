using System.Numerics;

namespace CrampSense.Simulation.Tests;

/// <summary>
/// Small, independent signal helpers for the tests (a Butterworth biquad and a Welch periodogram), written here
/// so the simulator's tests do not depend on the production DSP they will later be used to check.
/// </summary>
internal static class Dsp
{
    public static double Rms(IReadOnlyList<double> x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Count);
    }

    /// <summary>Second-order Butterworth high-pass (bilinear transform), applied forward once.</summary>
    public static double[] HighPass(IReadOnlyList<float> x, double sampleRateHz, double cornerHz)
    {
        var k = Math.Tan(Math.PI * cornerHz / sampleRateHz);
        var q = Math.Sqrt(2);
        var norm = 1 / (1 + (k * q) + (k * k));
        var b0 = norm;
        var b1 = -2 * norm;
        var b2 = norm;
        var a1 = 2 * ((k * k) - 1) * norm;
        var a2 = (1 - (k * q) + (k * k)) * norm;
        var y = new double[x.Count];
        double x1 = x.Count > 0 ? x[0] : 0, x2 = x1, y1 = 0, y2 = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var v = (b0 * x[i]) + (b1 * x1) + (b2 * x2) - (a1 * y1) - (a2 * y2);
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = v;
            y[i] = v;
        }

        return y;
    }

    /// <summary>Welch power spectrum (Hann, 50 % overlap) of <paramref name="x"/>; bin width fs / <paramref name="n"/>.
    /// Powers of two use a radix-2 FFT; other lengths a plain DFT.</summary>
    public static double[] PowerSpectrum(IReadOnlyList<double> x, int n = 256)
    {
        var psd = new double[(n / 2) + 1];
        var buffer = new Complex[n];
        for (var start = 0; start + n <= x.Count; start += n / 2)
        {
            var mean = 0.0;
            for (var i = 0; i < n; i++)
            {
                mean += x[start + i];
            }

            mean /= n;
            for (var i = 0; i < n; i++)
            {
                var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n));
                buffer[i] = new Complex((x[start + i] - mean) * w, 0);
            }

            if ((n & (n - 1)) == 0)
            {
                Fft(buffer);
            }
            else
            {
                Dft(buffer);
            }

            for (var f = 0; f <= n / 2; f++)
            {
                psd[f] += buffer[f].Magnitude * buffer[f].Magnitude;
            }
        }

        return psd;
    }

    /// <summary>Median frequency in Hz: the frequency that splits the spectral power in half.</summary>
    public static double MedianFrequency(IReadOnlyList<double> x, double sampleRateHz, int n = 256)
    {
        var psd = PowerSpectrum(x, n);
        var total = psd.Skip(1).Sum();
        var cumulative = 0.0;
        for (var f = 1; f < psd.Length; f++)
        {
            cumulative += psd[f];
            if (cumulative >= total / 2)
            {
                return f * sampleRateHz / n;
            }
        }

        return double.NaN;
    }

    /// <summary>Rectified, boxcar-averaged envelope decimated to one value per <paramref name="window"/> samples.</summary>
    public static double[] Envelope(IReadOnlyList<double> x, int window)
    {
        var result = new double[x.Count / window];
        for (var i = 0; i < result.Length; i++)
        {
            var sum = 0.0;
            for (var k = 0; k < window; k++)
            {
                sum += Math.Abs(x[(i * window) + k]);
            }

            result[i] = sum / window;
        }

        return result;
    }

    private static void Dft(Complex[] a)
    {
        var n = a.Length;
        var result = new Complex[n];
        for (var f = 0; f <= n / 2; f++)
        {
            var sum = Complex.Zero;
            for (var i = 0; i < n; i++)
            {
                sum += a[i] * Complex.FromPolarCoordinates(1, -2 * Math.PI * f * i / n);
            }

            result[f] = sum;
        }

        Array.Copy(result, a, n);
    }

    private static void Fft(Complex[] a)
    {
        var n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (a[i], a[j]) = (a[j], a[i]);
            }
        }

        for (var len = 2; len <= n; len <<= 1)
        {
            var angle = -2 * Math.PI / len;
            var wlen = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (var i = 0; i < n; i += len)
            {
                var w = Complex.One;
                for (var j = 0; j < len / 2; j++)
                {
                    var u = a[i + j];
                    var v = a[i + j + (len / 2)] * w;
                    a[i + j] = u + v;
                    a[i + j + (len / 2)] = u - v;
                    w *= wlen;
                }
            }
        }
    }
}
