using System.Runtime.CompilerServices;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// RMS envelope: the root mean square of the last <see cref="WindowLength"/> samples, updated every sample.
/// Until the window has filled, the missing samples count as zeros.
/// </summary>
public sealed class MovingRms : IStreamingFilter
{
    private readonly double[] _squares;
    private double _sum;
    private int _position;

    /// <summary>Creates a moving RMS over <paramref name="windowLength"/> samples.</summary>
    public MovingRms(int windowLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        _squares = new double[windowLength];
    }

    /// <summary>Creates a moving RMS over <paramref name="windowSeconds"/> at <paramref name="sampleRateHz"/> (at least one sample).</summary>
    public static MovingRms ForDuration(double sampleRateHz, double windowSeconds)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!double.IsFinite(windowSeconds) || windowSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "The window must be a positive number of seconds.");
        }

        return new MovingRms(Math.Max(1, (int)Math.Round(windowSeconds * sampleRateHz)));
    }

    public int WindowLength => _squares.Length;

    /// <inheritdoc/>
    public float Process(float sample) => RmsOf(Add(sample));

    /// <summary>
    /// Takes one sample and returns the running sum of squares of the window, without the square root:
    /// <see cref="RmsOf"/> of it is what <see cref="Process(float)"/> returns. A caller that keeps a trace and reads
    /// only some of its points stores the sums and takes the root where it reads (the division and root per sample
    /// were a tenth of the whole detector's cost; docs/signal-pipeline.md §6).
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    public double Add(float sample)
    {
        double square = (double)sample * sample;
        var squares = _squares;
        int p = _position;
        _sum += square - squares[p];
        squares[p] = square;
        p++;
        if (p == squares.Length)
        {
            p = 0;
            Resum();
        }

        _position = p;
        return _sum;
    }

    /// <summary>The RMS of a window whose sum of squares is <paramref name="sumOfSquares"/> (a value <see cref="Add"/> returned).</summary>
    public float RmsOf(double sumOfSquares) => (float)Math.Sqrt(Math.Max(sumOfSquares, 0) / _squares.Length);

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<float> input, Span<float> output) => StreamingBlock.Run(new Step(this), input, output);

    /// <summary>
    /// A running sum picks up rounding error over hours; re-adding the window once per window length bounds it at
    /// O(1) amortised cost.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private void Resum()
    {
        var squares = _squares;
        double exact = 0;
        for (int i = 0; i < squares.Length; i++)
        {
            exact += squares[i];
        }

        _sum = exact;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_squares);
        _sum = 0;
        _position = 0;
    }

    /// <summary>One sample, for <see cref="StreamingBlock.Run"/>.</summary>
    private readonly struct Step(MovingRms filter) : IStreamingStep
    {
        public float Process(float sample) => filter.Process(sample);
    }
}
