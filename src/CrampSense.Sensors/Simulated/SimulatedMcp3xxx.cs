using System.Device.Spi;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// A Microchip MCP3008 / MCP3208 at the SPI wire: answers each full-duplex transfer as the chip would, for
/// development without hardware, tests and benchmarks. The analogue inputs come from a signal function
/// (channel, per-channel conversion index) → volts at the pin.
/// </summary>
/// <remarks>
/// Protocol, MCP3008 (DS21295, §6.1 and Figure 6-1 "SPI communication using 8-bit segments"): the host clocks
/// a start bit (1), then SGL/DIFF (1 = single-ended, Table 5-2), then D2 D1 D0 (channel). The chip samples
/// during the next clock, outputs a null bit (0), then B9…B0 MSB first. Aligned to three bytes as the
/// datasheet suggests: request 0000000S MCCCxxxx xxxxxxxx, response xxxxxxxx xxxxxN98 76543210.
/// MCP3208 (DS21298, Figure 6-1) is the same with 12 result bits: request 00000SMC CCxxxxxx xxxxxxxx,
/// response xxxxxxxx xxxN(11)(10)98 76543210. Bits before the null bit are high-impedance on the chip;
/// here they read 0. Transfer function (both, Equation 4-1): code = 2^bits · V_IN / V_REF, clamped to the range.
/// </remarks>
public sealed class SimulatedMcp3xxx : SpiDevice
{
    private readonly Func<int, long, double> _volts;
    private readonly long[] _conversions = new long[8];
    private readonly double _referenceVolts;
    private readonly byte[] _lastRequest = new byte[4];
    private int _lastRequestLength;

    /// <param name="resolutionBits">10 for MCP3008, 12 for MCP3208.</param>
    /// <param name="referenceVolts">V_REF of the simulated chip.</param>
    /// <param name="volts">Input voltage at the pin for (channel, conversion index of that channel).</param>
    public SimulatedMcp3xxx(int resolutionBits, double referenceVolts, Func<int, long, double> volts)
    {
        if (resolutionBits is not (10 or 12))
        {
            throw new ArgumentOutOfRangeException(nameof(resolutionBits), resolutionBits, "MCP3008 has 10 bits, MCP3208 12.");
        }

        ResolutionBits = resolutionBits;
        _referenceVolts = referenceVolts;
        _volts = volts ?? throw new ArgumentNullException(nameof(volts));
        ConnectionSettings = new SpiConnectionSettings(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 1_350_000 };
    }

    public int ResolutionBits { get; }

    public override SpiConnectionSettings ConnectionSettings { get; }

    /// <summary>Transfers the host attempted, including those that failed.</summary>
    public long TransferAttempts { get; private set; }

    /// <summary>Completed transfers.</summary>
    public long Transfers { get; private set; }

    /// <summary>When set, every transfer throws it (a failed SPI ioctl, an unplugged board).</summary>
    public Exception? TransferException { get; set; }

    /// <summary>When set, every conversion returns this code (an input stuck at one level).</summary>
    public int? StuckCode { get; set; }

    /// <summary>When true the null bit reads 1 (a corrupted frame, e.g. a floating MISO line).</summary>
    public bool CorruptNullBit { get; set; }

    /// <summary>True once <see cref="SpiDevice.Dispose()"/> ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>The bytes the host sent in the last transfer (to check the framing).</summary>
    public ReadOnlySpan<byte> LastRequest => _lastRequest.AsSpan(0, _lastRequestLength);

    /// <summary>Conversions done on <paramref name="channel"/> so far.</summary>
    public long ConversionsOn(int channel) => _conversions[channel];

    /// <summary>The code the chip outputs for <paramref name="volts"/> at its input (Equation 4-1, truncated).</summary>
    public int CodeFor(double volts)
    {
        var max = (1 << ResolutionBits) - 1;
        var code = (int)Math.Floor((1 << ResolutionBits) * volts / _referenceVolts);
        return Math.Clamp(code, 0, max);
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        TransferAttempts++;
        if (TransferException is not null)
        {
            throw TransferException;
        }

        if (writeBuffer.Length != readBuffer.Length || writeBuffer.Length is < 2 or > 4)
        {
            throw new ArgumentException($"Full-duplex transfer of {writeBuffer.Length}/{readBuffer.Length} bytes; the chip needs equal lengths of 2–4 bytes.");
        }

        writeBuffer.CopyTo(_lastRequest);
        _lastRequestLength = writeBuffer.Length;
        var bits = writeBuffer.Length * 8;
        long request = 0;
        foreach (var b in writeBuffer)
        {
            request = (request << 8) | b;
        }

        // Find the start bit: the first 1 clocked in (DS21295 §6.1: leading zeros before it are ignored).
        var start = bits - 1;
        while (start >= 0 && ((request >> start) & 1) == 0)
        {
            start--;
        }

        readBuffer.Clear();
        if (start < 0)
        {
            Transfers++;
            return; // no start bit: the chip never leaves idle and MISO stays high-impedance.
        }

        var singleEnded = start >= 1 && ((request >> (start - 1)) & 1) == 1;
        var channel = start >= 4 ? (int)((request >> (start - 4)) & 0b111) : 0;
        int code;
        if (StuckCode is int stuck)
        {
            code = stuck;
        }
        else
        {
            var volts = singleEnded
                ? _volts(channel, _conversions[channel])
                : _volts(channel & ~1, _conversions[channel & ~1]) - _volts(channel | 1, _conversions[channel | 1]); // pairs, Table 5-2
            code = CodeFor(volts);
        }

        _conversions[channel]++;

        // One clock of sampling after D0, then the null bit, then the result MSB first.
        var nullBit = start - 6;
        var lsb = nullBit - ResolutionBits;
        long response = lsb >= 0 ? (long)code << lsb : (long)code >> -lsb;
        if (CorruptNullBit && nullBit >= 0)
        {
            response |= 1L << nullBit;
        }

        for (var i = 0; i < readBuffer.Length; i++)
        {
            readBuffer[i] = (byte)(response >> ((readBuffer.Length - 1 - i) * 8));
        }

        Transfers++;
    }

    public override void Read(Span<byte> buffer) => throw new NotSupportedException("The MCP3xxx only converts in full-duplex transfers.");

    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException("The MCP3xxx only converts in full-duplex transfers.");

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
