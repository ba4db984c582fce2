namespace CrampSense.Signals.Tests.Dsp;

/// <summary>Closed-form and seeded test signals.</summary>
internal static class TestSignals
{
    public static float[] Sine(double sampleRateHz, double frequencyHz, double amplitude, int count, double phase = 0, double offset = 0)
    {
        var x = new float[count];
        for (int n = 0; n < count; n++)
        {
            x[n] = (float)(offset + (amplitude * Math.Sin((2 * Math.PI * frequencyHz * n / sampleRateHz) + phase)));
        }

        return x;
    }

    /// <summary>Gaussian white noise (Box–Muller) with standard deviation <paramref name="sigma"/>.</summary>
    public static float[] WhiteNoise(int count, double sigma, int seed)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (int n = 0; n < count; n++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            x[n] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return x;
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / x.Length);
    }

    public static double Decibels(double ratio) => 20 * Math.Log10(ratio);
}
