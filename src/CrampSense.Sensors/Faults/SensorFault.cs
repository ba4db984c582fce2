namespace CrampSense.Sensors.Faults;

/// <summary>What went wrong with a sensor.</summary>
/// <remarks>
/// Not the signal room's <see cref="Signals.Features.SignalQuality"/>, though both name railed and flat: this is the
/// acquisition edge's verdict on a chip or bus (a transfer threw, a checksum failed, an ADC channel sat at a rail over
/// the lead-off window), reported once per fault with its chip and bus and published with the contract's source
/// <c>sensor</c>; SignalQuality is the DSP's verdict on one feature window of a site's samples (many of its flags have
/// no meaning for a chip), published with source <c>signal</c>. One can be seen without the other (a bus error leaves
/// no samples to judge; a hum burst leaves the chip healthy). Their codes are one list, the contract's
/// <c>FaultCodes</c>; the service maps this enum onto it (firmware-host's <c>DetectionPipeline.FaultCode</c>).
/// </remarks>
public enum SensorFaultKind
{
    /// <summary>The bus transfer threw (I2C NACK, SPI ioctl failure, 1-Wire read error).</summary>
    BusError,

    /// <summary>The chip did not identify itself (wrong WHO_AM_I / manufacturer id) or did not answer at all.</summary>
    ChipMissing,

    /// <summary>A checksum did not match (SMBus PEC, 1-Wire CRC, an ADC null bit that was not 0).</summary>
    ChecksumError,

    /// <summary>An EMG channel sits at the top or bottom of the ADC range (electrode off, amplifier saturated).</summary>
    Railed,

    /// <summary>An EMG channel has almost no variation (lead-off with the input floating to a steady level).</summary>
    Flat,

    /// <summary>The chip answered with a value it reserves for "no measurement" (for example MCP9808 0xFFFF).</summary>
    NoData,
}

/// <summary>
/// A typed sensor-fault status: which chip on which bus (and which channel, for multi-channel chips) failed,
/// how, and when on the acquisition clock.
/// </summary>
/// <param name="Chip">Chip name as configured, e.g. <c>MCP3008</c>, <c>MLX90614</c>.</param>
/// <param name="Bus">Bus address, e.g. <c>spi0.0</c>, <c>i2c1@0x5A</c>, <c>w1:28-0316a2791aff</c>.</param>
/// <param name="Channel">ADC channel, or -1 when the fault concerns the whole chip.</param>
/// <param name="Site">Muscle site of the channel, or null.</param>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">Human-readable detail (the bus exception's message, the value seen).</param>
/// <param name="TimeSeconds">Seconds on the acquisition clock when the fault was seen.</param>
public sealed record SensorFault(
    string Chip,
    string Bus,
    int Channel,
    string? Site,
    SensorFaultKind Kind,
    string Message,
    double TimeSeconds)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var channel = Channel >= 0 ? $" ch{Channel}" + (Site is null ? string.Empty : $" ({Site})") : string.Empty;
        return $"{Chip} on {Bus}{channel}: {Kind}: {Message}";
    }
}

/// <summary>Whether a status event opens or closes a fault (a transition of a fault's life, not another kind of fault).</summary>
public enum SensorStatusChange
{
    /// <summary>The sensor (or channel) has just started failing.</summary>
    Faulted,

    /// <summary>The sensor (or channel) works again after a fault.</summary>
    Recovered,
}

/// <summary>A change of sensor health, as reported to the service.</summary>
/// <param name="Change">Fault opened or closed.</param>
/// <param name="Fault">The fault (for <see cref="SensorStatusChange.Recovered"/>, the fault that ended).</param>
public sealed record SensorStatusEvent(SensorStatusChange Change, SensorFault Fault);
