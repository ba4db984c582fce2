namespace CrampSense.Signals.Recordings;

/// <summary>
/// One row of a recording on the EMG sample clock. Instances are meant to be reused (the reader, the
/// simulator and the sensors overwrite one frame per row), so nothing is allocated per sample.
/// Slower signals are present only on the rows where they have a new sample.
/// </summary>
public sealed class RecordingFrame
{
    public RecordingFrame(int siteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(siteCount);
        EmgMillivolts = new float[siteCount];
    }

    /// <summary>Seconds from the start of the recording.</summary>
    public double TimeSeconds { get; set; }

    /// <summary>EMG at the electrodes in millivolts, one value per site in layout order.</summary>
    public float[] EmgMillivolts { get; }

    /// <summary>True on rows that carry a new skin-temperature sample.</summary>
    public bool HasSkinTemperature { get; set; }

    /// <summary>Skin temperature in °C; meaningful only when <see cref="HasSkinTemperature"/>.</summary>
    public float SkinTemperatureCelsius { get; set; }

    /// <summary>True on rows that carry a new accelerometer sample.</summary>
    public bool HasAcceleration { get; set; }

    /// <summary>Acceleration in g; meaningful only when <see cref="HasAcceleration"/>.</summary>
    public float AccelerationXG { get; set; }

    /// <inheritdoc cref="AccelerationXG"/>
    public float AccelerationYG { get; set; }

    /// <inheritdoc cref="AccelerationXG"/>
    public float AccelerationZG { get; set; }

    /// <summary>Clears the slow signals so the frame can be filled for the next row.</summary>
    public void ClearSlowSignals()
    {
        HasSkinTemperature = false;
        HasAcceleration = false;
    }

    /// <summary>Copies every value of <paramref name="other"/> (same site count) into this frame.</summary>
    public void CopyFrom(RecordingFrame other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.EmgMillivolts.Length != EmgMillivolts.Length)
        {
            throw new ArgumentException($"Frame has {other.EmgMillivolts.Length} EMG sites, this one {EmgMillivolts.Length}.", nameof(other));
        }

        TimeSeconds = other.TimeSeconds;
        other.EmgMillivolts.CopyTo(EmgMillivolts, 0);
        HasSkinTemperature = other.HasSkinTemperature;
        SkinTemperatureCelsius = other.SkinTemperatureCelsius;
        HasAcceleration = other.HasAcceleration;
        AccelerationXG = other.AccelerationXG;
        AccelerationYG = other.AccelerationYG;
        AccelerationZG = other.AccelerationZG;
    }
}
