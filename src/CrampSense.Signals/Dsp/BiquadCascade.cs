using System.Numerics;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// A cascade of second-order sections (Direct Form II transposed) with double-precision state.
/// </summary>
/// <remarks>
/// NWaves designs the coefficients (see <see cref="ButterworthDesign"/>); the per-sample cascade is our own
/// because NWaves' <c>FilterChain</c> runs each section in float through a virtual call per section and has
/// no span API. A high-order band-pass with a 20 Hz edge at 1 kHz puts poles close to the unit circle, where
/// float state costs accuracy; here the state and the hand-over between sections stay in double, the
/// sections sit in one array of structs, and the sealed class lets the JIT inline the loop.
/// </remarks>
public sealed class BiquadCascade : IStreamingFilter
{
    private readonly Stage[] _stages;

    /// <summary>Creates a cascade of <paramref name="sections"/> for signals sampled at <paramref name="sampleRateHz"/>.</summary>
    public BiquadCascade(IEnumerable<SecondOrderSection> sections, double sampleRateHz)
    {
        ArgumentNullException.ThrowIfNull(sections);
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        _stages = sections.Select(s => new Stage(s)).ToArray();
        if (_stages.Length == 0)
        {
            throw new ArgumentException("A cascade needs at least one section.", nameof(sections));
        }

        SampleRateHz = sampleRateHz;
        Sections = _stages.Select(s => s.Coefficients).ToArray();
    }

    /// <summary>Sample rate the coefficients were designed for, in Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>The sections in processing order.</summary>
    public IReadOnlyList<SecondOrderSection> Sections { get; }

    /// <inheritdoc/>
    public float Process(float sample) => (float)ProcessDouble(sample);

    /// <summary>Filters one sample in double precision.</summary>
    public double ProcessDouble(double sample)
    {
        var stages = _stages;
        double x = sample;
        for (int i = 0; i < stages.Length; i++)
        {
            ref Stage s = ref stages[i];
            double y = (s.B0 * x) + s.Z1;
            s.Z1 = (s.B1 * x) - (s.A1 * y) + s.Z2;
            s.Z2 = (s.B2 * x) - (s.A2 * y);
            x = y;
        }

        return x;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <inheritdoc/>
    public void Reset()
    {
        for (int i = 0; i < _stages.Length; i++)
        {
            _stages[i].Z1 = 0;
            _stages[i].Z2 = 0;
        }
    }

    /// <summary>
    /// Sets the state to the steady state for a constant input <paramref name="input"/>, as if that value had
    /// been applied forever, so a signal that starts at an offset does not ring the filter.
    /// </summary>
    public void SettleTo(double input)
    {
        double u = input;
        for (int i = 0; i < _stages.Length; i++)
        {
            ref Stage s = ref _stages[i];
            double dcGain = (s.B0 + s.B1 + s.B2) / (1 + s.A1 + s.A2);
            double y = dcGain * u;
            s.Z2 = (s.B2 * u) - (s.A2 * y);
            s.Z1 = (s.B1 * u) - (s.A1 * y) + s.Z2;
            u = y;
        }
    }

    /// <summary>Complex frequency response of the whole cascade at <paramref name="frequencyHz"/>.</summary>
    public Complex Response(double frequencyHz)
    {
        Complex h = Complex.One;
        foreach (var s in Sections)
        {
            h *= s.Response(frequencyHz, SampleRateHz);
        }

        return h;
    }

    /// <summary>Magnitude response |H(f)| of the whole cascade at <paramref name="frequencyHz"/>.</summary>
    public double Magnitude(double frequencyHz) => Response(frequencyHz).Magnitude;

    private struct Stage(SecondOrderSection c)
    {
        public readonly double B0 = c.B0;
        public readonly double B1 = c.B1;
        public readonly double B2 = c.B2;
        public readonly double A1 = c.A1;
        public readonly double A2 = c.A2;
        public double Z1;
        public double Z2;

        public readonly SecondOrderSection Coefficients => new(B0, B1, B2, A1, A2);
    }

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(BiquadCascade filter) : IStreamingStep
    {
        public float Process(float sample) => (float)filter.ProcessDouble(sample);
    }
}
