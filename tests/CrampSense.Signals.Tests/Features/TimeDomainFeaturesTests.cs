using CrampSense.Signals.Features;
using CrampSense.Signals.Tests.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Features;

public class TimeDomainFeaturesTests
{
    private const double Fs = 1000;

    [Theory]
    [InlineData(40, 1.0)]
    [InlineData(97.3, 0.2)]
    [InlineData(150, 0.05)]
    public void Compute_Sine_MatchesClosedForms(double f, double a)
    {
        // 1 s window: whole or near-whole periods; counts may differ by one at the window edges.
        var x = TestSignals.Sine(Fs, f, a, 1000, phase: 0.4);
        var td = TimeDomainFeatures.Compute(x, Fs, deadbandMillivolts: 0.001f, willisonThresholdMillivolts: 0.001f);
        Assert.Equal(a / Math.Sqrt(2), td.Rms, 0.005 * a);
        Assert.Equal(2 * a / Math.PI, td.Mav, 0.01 * a);
        Assert.Equal(2 * f, td.ZeroCrossingsPerSecond, 1.0);
        Assert.Equal(2 * f, td.SlopeSignChangesPerSecond, 1.0);

        // Waveform length: mean |Δx| of a sampled sine is 2A·sin(πf/fs)·(2/π), i.e. 4Af per second as fs → ∞.
        double waveformLength = Fs * 4 * a * Math.Sin(Math.PI * f / Fs) / Math.PI;
        Assert.Equal(waveformLength, td.WaveformLengthPerSecond, 0.01 * waveformLength);
        double teager = a * a * Math.Pow(Math.Sin(2 * Math.PI * f / Fs), 2);
        Assert.Equal(teager, td.TeagerEnergy, 1e-4 * teager);
    }

    [Fact]
    public void Compute_WhiteNoiseOfKnownVariance_GivesSigmaAndMavSigmaRootTwoOverPi()
    {
        const double sigma = 0.05;
        var x = TestSignals.WhiteNoise(50000, sigma, seed: 21);
        var td = TimeDomainFeatures.Compute(x, Fs, 0f, 0f);
        Assert.Equal(sigma, td.Rms, 0.01 * sigma);
        Assert.Equal(sigma * Math.Sqrt(2 / Math.PI), td.Mav, 0.01 * sigma);

        // White noise changes sign between neighbours with probability 1/2 → fs/2 crossings per second.
        Assert.Equal(Fs / 2, td.ZeroCrossingsPerSecond, 0.02 * Fs / 2);

        // Slope-sign change at a sample: P = 2/3 for i.i.d. samples.
        Assert.Equal(Fs * 2 / 3, td.SlopeSignChangesPerSecond, 0.02 * Fs);
    }

    [Fact]
    public void Compute_Impulse_GivesClosedForms()
    {
        var x = new float[250];
        x[100] = 2f;
        var td = TimeDomainFeatures.Compute(x, Fs, 0.01f, 0.5f);
        double seconds = 0.25;
        Assert.Equal(2 / Math.Sqrt(250), td.Rms, 1e-6);
        Assert.Equal(2 / 250.0, td.Mav, 1e-6);
        Assert.Equal(4 / seconds, td.WaveformLengthPerSecond, 1e-4);
        Assert.Equal(0, td.ZeroCrossingsPerSecond);
        Assert.Equal(1 / seconds, td.SlopeSignChangesPerSecond, 1e-4);
        Assert.Equal(2 / seconds, td.WillisonAmplitudePerSecond, 1e-4);

        // ψ = 4 at the impulse, 0 elsewhere (the neighbours give 0 − 0·2).
        Assert.Equal(4 / 248.0, td.TeagerEnergy, 1e-6);
    }

    [Fact]
    public void Compute_NoiseInsideDeadband_CountsNoCrossingsOrSlopeChanges()
    {
        var x = TestSignals.WhiteNoise(1000, 0.001, seed: 4);
        var td = TimeDomainFeatures.Compute(x, Fs, deadbandMillivolts: 0.05f, willisonThresholdMillivolts: 0.05f);
        Assert.Equal(0, td.ZeroCrossingsPerSecond);
        Assert.Equal(0, td.SlopeSignChangesPerSecond);
        Assert.Equal(0, td.WillisonAmplitudePerSecond);
    }

    [Fact]
    public void Compute_WillisonThreshold_CountsOnlyLargeSteps()
    {
        float[] x = [0, 1, 1.05f, 0.05f, 0.1f, 0.1f, 0.1f, 0.1f];
        var td = TimeDomainFeatures.Compute(x, 8, 0f, 0.5f);
        Assert.Equal(2, td.WillisonAmplitudePerSecond, 1e-5);
    }

    [Fact]
    public void Compute_Alternation_CountsTheLastStepButNoSlopeChangeAtTheEnds()
    {
        // Four samples at 4 Hz (one second): three steps of 2 mV, each a zero crossing and a Willison step, the last one
        // too; slope-sign changes and Teager terms exist only at the two inner samples.
        float[] x = [1, -1, 1, -1];
        var td = TimeDomainFeatures.Compute(x, 4, deadbandMillivolts: 0.5f, willisonThresholdMillivolts: 1.5f);
        Assert.Equal(3, td.ZeroCrossingsPerSecond);
        Assert.Equal(3, td.WillisonAmplitudePerSecond);
        Assert.Equal(2, td.SlopeSignChangesPerSecond);
        Assert.Equal(6, td.WaveformLengthPerSecond);
        Assert.Equal(0, td.TeagerEnergy);
    }
}
