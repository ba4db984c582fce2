using CrampSense.Signals.Dsp;
using Xunit;

namespace CrampSense.Signals.Tests.Dsp;

public class BiquadCascadeTests
{
    [Fact]
    public void Process_Impulse_GivesDifferenceEquationOfOneSection()
    {
        var section = new SecondOrderSection(0.5, 0.25, 0.125, -0.5, 0.25);
        var cascade = new BiquadCascade([section], 1000);

        // y[n] = 0.5x[n] + 0.25x[n-1] + 0.125x[n-2] + 0.5y[n-1] - 0.25y[n-2], x = δ.
        double[] expected = new double[8];
        for (int n = 0; n < expected.Length; n++)
        {
            double x0 = n == 0 ? 1 : 0, x1 = n == 1 ? 1 : 0, x2 = n == 2 ? 1 : 0;
            double y1 = n >= 1 ? expected[n - 1] : 0, y2 = n >= 2 ? expected[n - 2] : 0;
            expected[n] = (0.5 * x0) + (0.25 * x1) + (0.125 * x2) + (0.5 * y1) - (0.25 * y2);
        }

        for (int n = 0; n < expected.Length; n++)
        {
            Assert.Equal(expected[n], cascade.ProcessDouble(n == 0 ? 1 : 0), 15);
        }
    }

    [Fact]
    public void SettleTo_ConstantInput_OutputsSteadyStateImmediately()
    {
        var cascade = new BiquadCascade(ButterworthDesign.LowPass(1000, 6, 2), 1000);
        cascade.SettleTo(2.5);
        for (int n = 0; n < 100; n++)
        {
            Assert.Equal(2.5, cascade.ProcessDouble(2.5), 9);
        }

        var highPass = new BiquadCascade(ButterworthDesign.HighPass(50, 0.5, 2), 50);
        highPass.SettleTo(1.0);
        Assert.Equal(0, highPass.ProcessDouble(1.0), 12);
    }

    [Fact]
    public void Process_InPlaceBlock_EqualsSeparateOutput()
    {
        var input = TestSignals.WhiteNoise(500, 1, seed: 2);
        var a = new BiquadCascade(ButterworthDesign.BandPass(1000, 20, 450, 4), 1000);
        var b = new BiquadCascade(ButterworthDesign.BandPass(1000, 20, 450, 4), 1000);
        var separate = new float[input.Length];
        a.Process(input, separate);
        var inPlace = (float[])input.Clone();
        b.Process(inPlace, inPlace);
        Assert.Equal(separate, inPlace);
    }

    [Fact]
    public void Constructor_NoSections_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BiquadCascade([], 1000));
    }
}
