using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrampSense.Signals.Dsp;

/// <summary>
/// The same cascade of second-order sections (Direct Form II transposed, double state) run on several channels at once:
/// one call filters one sample of every channel. The channels' states lie side by side (structure of arrays), so four
/// channels share one <see cref="Vector256{T}"/> (AVX) or two one <see cref="Vector128{T}"/> (SSE2, AdvSimd on the
/// Pi's arm64); channels left over, and hardware without vectors, take the scalar path.
/// </summary>
/// <remarks>
/// <para>
/// Why: one channel's cascade is a chain of dependent multiply-adds (latency-bound), and the detector runs the same
/// filter on every site (issue 17: 8.5 ns per sample scalar, 1.5 ns per channel-sample with four channels in a vector).
/// </para>
/// <para>
/// Every lane computes exactly the expression of <see cref="BiquadCascade.ProcessDouble"/> in the same order (vector
/// multiply, add and subtract round each lane like the scalar operation, and neither path fuses a multiply-add), so
/// each channel's output is bit for bit that of its own <see cref="BiquadCascade"/>, whatever the lane width.
/// </para>
/// </remarks>
public sealed class BiquadCascadeBank
{
    // Per section: B0, B1, B2, A1, A2.
    private const int CoefficientsPerSection = 5;

    private readonly double[] _coefficients;

    // Per section: Z1 of every channel, then Z2 of every channel (each row padded to a multiple of 4 channels).
    private readonly double[] _state;
    private readonly int _stride;
    private readonly int _sectionCount;
    private readonly int _lanes;

    /// <summary>Creates a bank of <paramref name="channels"/> cascades of <paramref name="sections"/>, using the widest vectors the hardware accelerates.</summary>
    public BiquadCascadeBank(IEnumerable<SecondOrderSection> sections, int channels)
        : this(sections, channels, VectorLanes.Widest)
    {
    }

    /// <summary>As the public constructor, with the lane width forced (1, 2 or 4) so tests can compare the paths.</summary>
    internal BiquadCascadeBank(IEnumerable<SecondOrderSection> sections, int channels, int lanes)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var list = sections.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A cascade needs at least one section.", nameof(sections));
        }

        _sectionCount = list.Length;
        _coefficients = new double[CoefficientsPerSection * list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            var s = list[i];
            _coefficients[(CoefficientsPerSection * i) + 0] = s.B0;
            _coefficients[(CoefficientsPerSection * i) + 1] = s.B1;
            _coefficients[(CoefficientsPerSection * i) + 2] = s.B2;
            _coefficients[(CoefficientsPerSection * i) + 3] = s.A1;
            _coefficients[(CoefficientsPerSection * i) + 4] = s.A2;
        }

        Channels = channels;
        _stride = VectorLanes.Padded(channels);
        _state = new double[2 * _sectionCount * _stride];
        _lanes = VectorLanes.Check(lanes);
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>
    /// Filters one sample of every channel in place: on entry <paramref name="samples"/>[c] is channel c's input, on
    /// return its output. Only the first <see cref="Channels"/> elements are read and written.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is shorter than <see cref="Channels"/>.</exception>
    [MethodImpl(HotPath.Compiled)]
    public void Process(Span<double> samples)
    {
        int channels = Channels;
        if (samples.Length < channels)
        {
            throw new ArgumentException($"The row holds {samples.Length} samples; the bank has {channels} channels.", nameof(samples));
        }

        ref double x = ref MemoryMarshal.GetReference(samples);
        int c = 0;
        if (_lanes == 4)
        {
            // Each group is built from the row's scalars in registers (see Process4(Vector256, int)).
            for (; c + 4 <= channels; c += 4)
            {
                Process4(ref x, c);
            }
        }

        if (_lanes >= 2)
        {
            for (; c + 2 <= channels; c += 2)
            {
                Process2(ref x, c);
            }
        }

        for (; c < channels; c++)
        {
            Process1(ref x, c);
        }
    }

    /// <summary>Returns every channel's state to zero.</summary>
    public void Reset() => Array.Clear(_state);

    [MethodImpl(HotPath.Compiled)]
    private void Process4(ref double samples, int channel)
    {
        var x = Vector256.Create(Unsafe.Add(ref samples, channel), Unsafe.Add(ref samples, channel + 1), Unsafe.Add(ref samples, channel + 2), Unsafe.Add(ref samples, channel + 3));
        Process4(x, channel).StoreUnsafe(ref samples, (nuint)channel);
    }

    /// <summary>
    /// Filters one sample of channels <paramref name="channel"/> … <paramref name="channel"/> + 3 (a multiple of 4, all
    /// below <see cref="Channels"/>) held in a register, so that a caller that builds the row in registers does not go
    /// through memory (a vector load of values just stored one by one waits for the stores; it cannot be forwarded).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector256<double> Process4(Vector256<double> x, int channel) => ProcessLanes<DoubleLanes256, Vector256<double>>(x, channel);

    private void Process2(ref double samples, int channel) =>
        ProcessLanes<DoubleLanes128, Vector128<double>>(Vector128.LoadUnsafe(ref samples, (nuint)channel), channel).StoreUnsafe(ref samples, (nuint)channel);

    /// <summary>
    /// The cascade on the channels from <paramref name="channel"/> on, one per lane of <typeparamref name="TVector"/>: the
    /// one loop of both vector widths (each lane the expression of <see cref="Process1"/>, in its order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | HotPath.Compiled)]
    private TVector ProcessLanes<TLanes, TVector>(TVector x, int channel)
        where TLanes : struct, IDoubleLanes<TVector>
        where TVector : struct
    {
        ref double k = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref double z = ref MemoryMarshal.GetArrayDataReference(_state);
        nuint z1 = (nuint)channel;
        nuint stride = (nuint)_stride;
        for (int i = 0; i < _sectionCount; i++)
        {
            ref double s = ref Unsafe.Add(ref k, CoefficientsPerSection * i);
            nuint z2 = z1 + stride;
            var y = TLanes.Add(TLanes.Multiply(TLanes.Broadcast(s), x), TLanes.Load(ref z, z1));
            var next1 = TLanes.Add(TLanes.Subtract(TLanes.Multiply(TLanes.Broadcast(Unsafe.Add(ref s, 1)), x), TLanes.Multiply(TLanes.Broadcast(Unsafe.Add(ref s, 3)), y)), TLanes.Load(ref z, z2));
            var next2 = TLanes.Subtract(TLanes.Multiply(TLanes.Broadcast(Unsafe.Add(ref s, 2)), x), TLanes.Multiply(TLanes.Broadcast(Unsafe.Add(ref s, 4)), y));
            TLanes.Store(next1, ref z, z1);
            TLanes.Store(next2, ref z, z2);
            x = y;
            z1 = z2 + stride;
        }

        return x;
    }

    [MethodImpl(HotPath.Compiled)]
    private void Process1(ref double samples, int channel)
    {
        var k = _coefficients;
        var z = _state;
        double x = Unsafe.Add(ref samples, channel);
        int z1 = channel;
        for (int i = 0; i < _sectionCount; i++)
        {
            int c = CoefficientsPerSection * i;
            int z2 = z1 + _stride;
            double y = (k[c] * x) + z[z1];
            z[z1] = (k[c + 1] * x) - (k[c + 3] * y) + z[z2];
            z[z2] = (k[c + 2] * x) - (k[c + 4] * y);
            x = y;
            z1 = z2 + _stride;
        }

        Unsafe.Add(ref samples, channel) = x;
    }
}

/// <summary>The lane widths of the channel banks (<see cref="BiquadCascadeBank"/>, <see cref="EmgChannelFilterBank"/>).</summary>
internal static class VectorLanes
{
    /// <summary>4 with AVX, 2 with 128-bit vectors (SSE2, AdvSimd), else 1.</summary>
    public static int Widest => Vector256.IsHardwareAccelerated ? 4 : Vector128.IsHardwareAccelerated ? 2 : 1;

    /// <summary><paramref name="channels"/> rounded up to a multiple of 4 (the state rows' length).</summary>
    public static int Padded(int channels) => (channels + 3) & ~3;

    /// <summary>Throws unless <paramref name="lanes"/> is 1, 2 or 4.</summary>
    public static int Check(int lanes) => lanes is 1 or 2 or 4 ? lanes : throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "Lanes must be 1, 2 or 4.");
}
