using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// <see cref="EmgChannelFilter"/> for several channels with the same options, one row (one sample of every channel)
/// per call: the non-finite hold, the DC blocker and the Butterworth band-pass run on all channels together in vector
/// lanes (<see cref="BiquadCascadeBank"/>), then each channel's own mains-interference canceller (its per-sample
/// detection sums and removal also in lanes, <see cref="CancellerLanes"/>) and optional notch.
/// Each channel's output is bit for bit that of its own <see cref="EmgChannelFilter"/> fed the same samples.
/// </summary>
/// <remarks>
/// The feature extractor filters every site on every row; with four sites side by side the linear stages took about
/// 40 % less CPU than one filter per site (docs/signal-pipeline.md §6.4), and the engaged cancellers' removal a third to
/// a half less (§6.5). Each canceller still detects, adapts and engages on its own channel's signal.
/// </remarks>
public sealed class EmgChannelFilterBank
{
    private readonly double _pole;
    private readonly double[] _previousInput;
    private readonly double[] _previousOutput;
    private readonly float[] _lastFinite;
    private readonly BiquadCascadeBank _bandPassBank;
    private readonly MainsInterferenceCanceller?[] _mains;

    // The cancellers' per-sample removal state, one lane per channel (null when the canceller is off).
    private readonly CancellerLanes? _mainsLanes;
    private readonly PowerLineNotch?[] _notch;
    private readonly bool _hasNotch;
    private readonly bool _hasMains;
    private readonly int _lanes;
    private bool _primed;

    /// <summary>Creates <paramref name="channels"/> channel filters for signals sampled at <paramref name="sampleRateHz"/>.</summary>
    public EmgChannelFilterBank(double sampleRateHz, int channels, EmgFilterOptions? options = null)
        : this(sampleRateHz, channels, options, VectorLanes.Widest)
    {
    }

    /// <summary>As the public constructor, with the lane width forced (1, 2 or 4) so tests can compare the paths.</summary>
    internal EmgChannelFilterBank(double sampleRateHz, int channels, EmgFilterOptions? options, int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        options ??= EmgFilterOptions.Default;
        options.ThrowIfInvalid(sampleRateHz);
        SampleRateHz = sampleRateHz;
        Channels = channels;
        _lanes = VectorLanes.Check(lanes);
        _pole = new DcBlocker(sampleRateHz, options.DcRemovalHz).Pole;
        BandPass = new ButterworthBandPass(sampleRateHz, options.HighPassHz, options.LowPassHz, options.ButterworthOrder);
        _bandPassBank = new BiquadCascadeBank(BandPass.Sections, channels, lanes);
        int padded = VectorLanes.Padded(channels);
        _previousInput = new double[padded];
        _previousOutput = new double[padded];
        _lastFinite = new float[channels];
        _mains = new MainsInterferenceCanceller?[channels];
        _notch = new PowerLineNotch?[channels];
        _mainsLanes = options.Mains == MainsFrequency.Off ? null : new CancellerLanes(channels);
        for (int c = 0; c < channels; c++)
        {
            _mains[c] = _mainsLanes is null ? null : new MainsInterferenceCanceller(sampleRateHz, options.Mains, options.MainsTimeConstantSeconds, _mainsLanes, c);
            _notch[c] = options.NotchHz is double notch ? new PowerLineNotch(sampleRateHz, notch, options.NotchQualityFactor) : null;
        }

        _hasMains = options.Mains != MainsFrequency.Off;
        _hasNotch = options.NotchHz is not null;
    }

    public double SampleRateHz { get; }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>The band-pass design in use (its edges after clamping to the sample rate); the bank holds the channels' state.</summary>
    public ButterworthBandPass BandPass { get; }

    /// <summary>Channel <paramref name="channel"/>'s mains-interference canceller, or null when off.</summary>
    public MainsInterferenceCanceller? Mains(int channel) => _mains[channel];

    /// <summary>Channel <paramref name="channel"/>'s fixed notch, or null when off (the default).</summary>
    public PowerLineNotch? Notch(int channel) => _notch[channel];

    /// <summary>
    /// Filters one row: <paramref name="input"/>[c] is channel c's raw sample, <paramref name="output"/>[c] receives its
    /// filtered value (kept in double for the stages that follow). A non-finite sample is replaced by the channel's last
    /// finite one, as in <see cref="EmgChannelFilter"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Either span is shorter than <see cref="Channels"/>.</exception>
    [MethodImpl(HotPath.Compiled)]
    public void Process(ReadOnlySpan<float> input, Span<double> output)
    {
        int channels = Channels;
        if (input.Length < channels || output.Length < channels)
        {
            throw new ArgumentException($"The row holds {input.Length} samples and its output {output.Length}; the bank has {channels} channels.", nameof(input));
        }

        if (_lanes == 4 && channels == 4 && _primed)
        {
            // The usual case (four sites) in registers from the raw floats to the band-pass output: one store, no
            // store-to-load stall (the same values as below).
            ProcessFour(input, output);
        }
        else
        {
            ProcessAny(input, output);
        }

        if (_hasMains)
        {
            RemoveMains(output);
        }

        if (_hasNotch)
        {
            for (int c = 0; c < channels; c++)
            {
                output[c] = _notch[c]!.ProcessDouble(output[c]);
            }
        }
    }

    /// <summary>
    /// Each channel's <see cref="MainsInterferenceCanceller.ProcessDouble"/> on the row, four (or two) channels in one
    /// vector: the detection's block sums, each channel's block count (and at a block's end its analysis), then the
    /// removal of the engaged ones. A channel's canceller touches only its own lane, so the order across channels
    /// changes no value.
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private void RemoveMains(Span<double> row)
    {
        // The cancellers share the sample rate and options, so one demodulation table, and see every row since the same
        // reset, so the same position in their blocks. Without a watched frequency none ever engages.
        var first = _mains[0]!;
        if (!first.Watches)
        {
            return;
        }

        ref double y = ref MemoryMarshal.GetReference(row);
        ref double state = ref MemoryMarshal.GetArrayDataReference(_mainsLanes!.State);
        nuint stride = (nuint)_mainsLanes.Stride;
        var table = first.DemodulationTable;
        int position = first.SampleInBlock;
        int channel = 0;
        if (_lanes == 4)
        {
            channel = RemoveMainsLanes<DoubleLanes256, Vector256<double>>(ref y, ref state, stride, channel, table, position);
        }

        if (_lanes >= 2)
        {
            channel = RemoveMainsLanes<DoubleLanes128, Vector128<double>>(ref y, ref state, stride, channel, table, position);
        }

        RemoveMainsLanes<DoubleLanes1, double>(ref y, ref state, stride, channel, table, position);
    }

    /// <summary>The cancellers on whole groups of <c>TLanes.Count</c> channels from <paramref name="channel"/> on (the removal skipped for a group with no engaged channel); returns the first channel left over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | HotPath.Compiled)]
    private int RemoveMainsLanes<TLanes, TVector>(ref double row, ref double state, nuint stride, int channel, double[] table, int position)
        where TLanes : struct, IDoubleLanes<TVector>
        where TVector : struct
    {
        int channels = Channels;
        var mains = _mains;
        int c = channel;
        for (; c + TLanes.Count <= channels; c += TLanes.Count)
        {
            var x = TLanes.Load(ref row, (nuint)c);
            ref double lanes = ref Unsafe.Add(ref state, c);
            MainsInterferenceCanceller.AccumulateLanes<TLanes, TVector>(ref lanes, stride, x, table, position);
            bool engaged = false;
            for (int lane = c; lane < c + TLanes.Count; lane++)
            {
                var canceller = mains[lane]!;
                canceller.AdvanceBlock();
                engaged |= canceller.HumPresent;
            }

            if (engaged)
            {
                TLanes.Store(MainsInterferenceCanceller.RemoveLanes<TLanes, TVector>(ref lanes, stride, x), ref row, (nuint)c);
            }
        }

        return c;
    }

    /// <summary>Returns every channel to its initial state.</summary>
    public void Reset()
    {
        Array.Clear(_previousInput);
        Array.Clear(_previousOutput);
        Array.Clear(_lastFinite);
        _primed = false;
        _bandPassBank.Reset();
        for (int c = 0; c < Channels; c++)
        {
            _mains[c]?.Reset();
            _notch[c]?.Reset();
        }
    }

    /// <summary>Hold, DC blocker and band-pass of exactly four channels in one <see cref="Vector256{T}"/>, after the first row.</summary>
    [MethodImpl(HotPath.Compiled)]
    private void ProcessFour(ReadOnlySpan<float> input, Span<double> output)
    {
        ref float raw = ref MemoryMarshal.GetReference(input);
        ref float held = ref MemoryMarshal.GetArrayDataReference(_lastFinite);
        var samples = Vector128.LoadUnsafe(ref raw);

        // |x| < ∞ is false for ±∞ and NaN: those take the last finite value, and the held values become this row's.
        var finite = Vector128.LessThan(Vector128.Abs(samples), Vector128.Create(float.PositiveInfinity));
        samples = Vector128.ConditionalSelect(finite, samples, Vector128.LoadUnsafe(ref held));
        samples.StoreUnsafe(ref held);

        var x = Vector256.WidenLower(samples.ToVector256Unsafe());
        ref double previousInput = ref MemoryMarshal.GetArrayDataReference(_previousInput);
        ref double previousOutput = ref MemoryMarshal.GetArrayDataReference(_previousOutput);
        var y = x - Vector256.LoadUnsafe(ref previousInput) + (Vector256.Create(_pole) * Vector256.LoadUnsafe(ref previousOutput));
        x.StoreUnsafe(ref previousInput);
        y.StoreUnsafe(ref previousOutput);
        _bandPassBank.Process4(y, 0).StoreUnsafe(ref MemoryMarshal.GetReference(output));
    }

    /// <summary>Hold, DC blocker and band-pass of any number of channels, through the row buffer.</summary>
    [MethodImpl(HotPath.Compiled)]
    private void ProcessAny(ReadOnlySpan<float> input, Span<double> output)
    {
        int channels = Channels;
        var lastFinite = _lastFinite;
        for (int c = 0; c < channels; c++)
        {
            float sample = input[c];
            if (float.IsFinite(sample))
            {
                lastFinite[c] = sample;
            }
            else
            {
                sample = lastFinite[c];
            }

            output[c] = sample;
        }

        if (!_primed)
        {
            // The first sample primes the DC blocker (x[−1] = x[0]), as DcBlocker does.
            output[..channels].CopyTo(_previousInput);
            _primed = true;
        }

        BlockDc(output);
        _bandPassBank.Process(output);
    }

    /// <summary>y[n] = x[n] − x[n−1] + R·y[n−1] on every channel, the expression of <see cref="DcBlocker.ProcessDouble"/>.</summary>
    [MethodImpl(HotPath.Compiled)]
    private void BlockDc(Span<double> samples)
    {
        int channels = Channels;
        ref double x = ref MemoryMarshal.GetReference(samples);
        ref double input = ref MemoryMarshal.GetArrayDataReference(_previousInput);
        ref double output = ref MemoryMarshal.GetArrayDataReference(_previousOutput);
        double pole = _pole;
        int c = 0;
        if (_lanes == 4)
        {
            c = BlockDcLanes<DoubleLanes256, Vector256<double>>(ref x, ref input, ref output, c);
        }

        if (_lanes >= 2)
        {
            c = BlockDcLanes<DoubleLanes128, Vector128<double>>(ref x, ref input, ref output, c);
        }

        for (; c < channels; c++)
        {
            double v = Unsafe.Add(ref x, c);
            double y = v - Unsafe.Add(ref input, c) + (pole * Unsafe.Add(ref output, c));
            Unsafe.Add(ref input, c) = v;
            Unsafe.Add(ref output, c) = y;
            Unsafe.Add(ref x, c) = y;
        }
    }

    /// <summary>
    /// The DC blocker on whole groups of <c>TLanes.Count</c> channels from <paramref name="channel"/> on, one per lane
    /// of <typeparamref name="TVector"/> (the one loop of both vector widths); returns the first channel left over.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BlockDcLanes<TLanes, TVector>(ref double x, ref double input, ref double output, int channel)
        where TLanes : struct, IDoubleLanes<TVector>
        where TVector : struct
    {
        int channels = Channels;
        var r = TLanes.Broadcast(_pole);
        int c = channel;
        for (; c + TLanes.Count <= channels; c += TLanes.Count)
        {
            var v = TLanes.Load(ref x, (nuint)c);
            var y = TLanes.Add(TLanes.Subtract(v, TLanes.Load(ref input, (nuint)c)), TLanes.Multiply(r, TLanes.Load(ref output, (nuint)c)));
            TLanes.Store(v, ref input, (nuint)c);
            TLanes.Store(y, ref output, (nuint)c);
            TLanes.Store(y, ref x, (nuint)c);
        }

        return c;
    }
}
