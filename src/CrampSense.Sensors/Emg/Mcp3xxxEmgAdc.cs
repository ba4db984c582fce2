using System.Device.Spi;
using System.Diagnostics.CodeAnalysis;
using CrampSense.Sensors.Faults;
using CrampSense.Signals.Features;
using Iot.Device.Adc;

namespace CrampSense.Sensors.Emg;

/// <summary>
/// Raw EMG from a Microchip MCP3xxx SPI ADC through the <see cref="Mcp3xxx"/> binding: reads the wired channels
/// one after the other (single-ended, one 3-byte SPI transfer each) and converts counts to millivolts at the
/// electrodes. Reading allocates nothing; only a fault allocates its <see cref="SensorFault"/>.
/// </summary>
/// <remarks>
/// Ownership: this object owns the binding and, through it, the <see cref="SpiDevice"/> it was built with —
/// <see cref="Dispose()"/> disposes both (the dotnet/iot convention). Not thread-safe: call from the sampling
/// thread only.
/// </remarks>
public abstract class Mcp3xxxEmgAdc : IDisposable
{
    private readonly Mcp3xxx _adc;
    private readonly int[] _adcChannels;
    private readonly EmgConversion[] _conversions;
    private bool _disposed;

    protected Mcp3xxxEmgAdc(Mcp3xxx adc, string chip, string bus, int resolutionBits, double referenceVolts, IReadOnlyList<EmgChannel> channels)
    {
        _adc = adc ?? throw new ArgumentNullException(nameof(adc));
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count is < 1 or > 4)
        {
            throw new ArgumentException($"Between 1 and 4 EMG channels are supported, got {channels.Count}.", nameof(channels));
        }

        if (channels.Select(c => c.AdcChannel).Distinct().Count() != channels.Count)
        {
            throw new ArgumentException("Each ADC channel may be wired to one site only.", nameof(channels));
        }

        Chip = chip;
        Bus = bus;
        Channels = channels.ToArray();
        ReferenceVolts = referenceVolts;
        _adcChannels = channels.Select(c => c.AdcChannel).ToArray();
        _conversions = channels
            .Select(c => new EmgConversion(resolutionBits, referenceVolts, c.Gain, c.OffsetVolts ?? referenceVolts / 2))
            .ToArray();
    }

    /// <summary>Chip name for fault reports, e.g. MCP3008.</summary>
    public string Chip { get; }

    /// <summary>Bus name for fault reports, e.g. spi0.0.</summary>
    public string Bus { get; }

    /// <summary>Wired channels in frame (site) order.</summary>
    public IReadOnlyList<EmgChannel> Channels { get; }

    public double ReferenceVolts { get; }

    /// <summary>Count → millivolt conversion of each wired channel, in <see cref="Channels"/> order.</summary>
    public ReadOnlySpan<EmgConversion> Conversions => _conversions;

    /// <summary>The input range of each wired channel at the electrodes, by site (for the feature extractor's quality monitor).</summary>
    public IReadOnlyDictionary<string, FullScaleRange> FullScaleBySite() =>
        Channels.Select((c, i) => (c.Site, _conversions[i].FullScale)).ToDictionary(p => p.Site, p => p.FullScale, StringComparer.Ordinal);

    /// <summary>
    /// Reads every wired channel once. On success <paramref name="counts"/> and <paramref name="millivolts"/>
    /// hold one value per channel in <see cref="Channels"/> order; on a bus error nothing is made up and the
    /// fault says which chip and channel failed.
    /// </summary>
    public bool TryRead(Span<int> counts, Span<float> millivolts, double timeSeconds, [NotNullWhen(false)] out SensorFault? fault)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < _adcChannels.Length; i++)
        {
            int count;
            try
            {
                count = _adc.Read(_adcChannels[i]);
            }
            catch (Exception e) when (BusExceptions.IsBusFault(e))
            {
                // Mcp3Base checks the null bit that precedes the result (DS21295 Figure 6-1) and throws
                // InvalidOperationException("Invalid data …") when it is 1: a corrupted frame, not a dead bus.
                var kind = e is InvalidOperationException && e.Message.Contains("Invalid data", StringComparison.Ordinal)
                    ? SensorFaultKind.ChecksumError
                    : BusExceptions.Classify(e);
                fault = new SensorFault(Chip, Bus, _adcChannels[i], Channels[i].Site, kind, e.Message, timeSeconds);
                return false;
            }

            counts[i] = count;
            millivolts[i] = _conversions[i].ToMillivolts(count);
        }

        fault = null;
        return true;
    }

    /// <summary>Disposes the binding and the SPI device it owns. Safe to call twice.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        if (disposing)
        {
            _adc.Dispose();
        }

        _disposed = true;
    }
}

/// <summary>MCP3008: 8-channel, 10-bit SPI ADC (Microchip DS21295). Owns <c>spiDevice</c>.</summary>
public sealed class Mcp3008EmgAdc : Mcp3xxxEmgAdc
{
    /// <summary>ADC resolution (DS21295 §1.0: 10-bit).</summary>
    public const int ResolutionBits = 10;

    public Mcp3008EmgAdc(SpiDevice spiDevice, double referenceVolts, IReadOnlyList<EmgChannel> channels, string bus = "spi0.0")
        : base(new Mcp3008(spiDevice ?? throw new ArgumentNullException(nameof(spiDevice))), "MCP3008", bus, ResolutionBits, referenceVolts, channels)
    {
    }
}

/// <summary>MCP3208: 8-channel, 12-bit SPI ADC (Microchip DS21298). Owns <c>spiDevice</c>.</summary>
public sealed class Mcp3208EmgAdc : Mcp3xxxEmgAdc
{
    /// <summary>ADC resolution (DS21298 §1.0: 12-bit).</summary>
    public const int ResolutionBits = 12;

    public Mcp3208EmgAdc(SpiDevice spiDevice, double referenceVolts, IReadOnlyList<EmgChannel> channels, string bus = "spi0.0")
        : base(new Mcp3208(spiDevice ?? throw new ArgumentNullException(nameof(spiDevice))), "MCP3208", bus, ResolutionBits, referenceVolts, channels)
    {
    }
}
