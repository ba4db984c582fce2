using System.Runtime.CompilerServices;
using NWaves.Transforms;

namespace CrampSense.Signals.Features;

/// <summary>
/// Mean and median frequency and band-power ratios of a window: periodic Hann window, zero padding to the
/// next power of two, NWaves' <see cref="RealFft"/>, power |X[k]|² over the bins inside the analysis band.
/// Owns its buffers, so <see cref="Analyze"/> allocates nothing; one instance serves any number of channels
/// in turn (not concurrently).
/// </summary>
/// <remarks>
/// Median frequency interpolates inside the bin where the cumulative power crosses half, treating each
/// bin's power as spread evenly over [f_k − Δf/2, f_k + Δf/2]; a tone centred on a bin gives exactly f_k.
/// tests/tools/make_golden_vectors.py implements the same definitions with numpy.
/// </remarks>
public sealed class SpectralAnalyzer
{
    private readonly RealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frame;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly int _firstBin;
    private readonly int _lastBin;
    private readonly double _binHz;
    private readonly double _lowMidEdgeHz;
    private readonly double _midHighEdgeHz;

    /// <summary>Creates an analyzer.</summary>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <param name="windowLength">Samples per window (padded with zeros to the FFT size).</param>
    /// <param name="bandLowHz">Lowest frequency counted (the band-pass lower edge).</param>
    /// <param name="bandHighHz">Highest frequency counted (the band-pass upper edge).</param>
    /// <param name="lowMidEdgeHz">Edge between the low and mid bands.</param>
    /// <param name="midHighEdgeHz">Edge between the mid and high bands.</param>
    public SpectralAnalyzer(double sampleRateHz, int windowLength, double bandLowHz, double bandHighHz, double lowMidEdgeHz = 60, double midHighEdgeHz = 150)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (windowLength < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, "A spectral window needs at least 4 samples.");
        }

        if (!(bandLowHz >= 0 && bandLowHz < bandHighHz && bandHighHz <= sampleRateHz / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(bandHighHz), $"The band [{bandLowHz}, {bandHighHz}] Hz must lie inside [0, {sampleRateHz / 2}] Hz.");
        }

        if (!(lowMidEdgeHz < midHighEdgeHz))
        {
            throw new ArgumentOutOfRangeException(nameof(midHighEdgeHz), $"The band edges {lowMidEdgeHz} and {midHighEdgeHz} Hz must increase.");
        }

        FftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)windowLength);
        WindowLength = windowLength;
        _fft = new RealFft(FftSize);
        _window = new float[windowLength];
        for (int i = 0; i < windowLength; i++)
        {
            _window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / windowLength)));
        }

        _frame = new float[FftSize];
        _re = new float[(FftSize / 2) + 1];
        _im = new float[(FftSize / 2) + 1];
        _binHz = sampleRateHz / FftSize;
        _firstBin = (int)Math.Ceiling(bandLowHz / _binHz);
        _lastBin = Math.Min(FftSize / 2, (int)Math.Floor(bandHighHz / _binHz));
        _lowMidEdgeHz = lowMidEdgeHz;
        _midHighEdgeHz = midHighEdgeHz;
    }

    public int WindowLength { get; }

    public int FftSize { get; }

    /// <summary>Bin spacing fs / FftSize, Hz.</summary>
    public double BinHz => _binHz;

    /// <summary>Analyses one window of exactly <see cref="WindowLength"/> samples.</summary>
    [MethodImpl(HotPath.Compiled)]
    public SpectralFeatures Analyze(ReadOnlySpan<float> window)
    {
        if (window.Length != WindowLength)
        {
            throw new ArgumentException($"Expected a window of {WindowLength} samples, got {window.Length}.", nameof(window));
        }

        var frame = _frame;
        var taper = _window;
        for (int i = 0; i < taper.Length; i++)
        {
            frame[i] = window[i] * taper[i];
        }

        _fft.Direct(frame, _re, _im);

        double total = 0;
        double weighted = 0;
        double low = 0;
        double mid = 0;
        double high = 0;
        for (int k = _firstBin; k <= _lastBin; k++)
        {
            double p = ((double)_re[k] * _re[k]) + ((double)_im[k] * _im[k]);
            double f = k * _binHz;
            total += p;
            weighted += p * f;
            if (f < _lowMidEdgeHz)
            {
                low += p;
            }
            else if (f < _midHighEdgeHz)
            {
                mid += p;
            }
            else
            {
                high += p;
            }
        }

        if (!(total > 0))
        {
            return default;
        }

        double half = total / 2;
        double cumulative = 0;
        double median = _lastBin * _binHz;
        for (int k = _firstBin; k <= _lastBin; k++)
        {
            double p = ((double)_re[k] * _re[k]) + ((double)_im[k] * _im[k]);
            if (cumulative + p >= half)
            {
                median = ((k - 0.5) * _binHz) + (_binHz * (half - cumulative) / p);
                break;
            }

            cumulative += p;
        }

        return new SpectralFeatures(
            (float)(weighted / total),
            (float)median,
            (float)(low / total),
            (float)(mid / total),
            (float)(high / total),
            total);
    }
}
