namespace CrampSense.Signals.Dsp;

/// <summary>What the mains-interference canceller looks for (<see cref="EmgFilterOptions.Mains"/>).</summary>
public enum MainsFrequency
{
    /// <summary>Detect 50 or 60 Hz per channel (the default): nothing to configure where the device travels.</summary>
    Auto,

    /// <summary>Look for 50 Hz hum only (Europe, most of Asia and Africa).</summary>
    Hz50,

    /// <summary>Look for 60 Hz hum only (the Americas, parts of Japan).</summary>
    Hz60,

    /// <summary>No hum detection or removal: the signal passes unchanged.</summary>
    Off,
}
