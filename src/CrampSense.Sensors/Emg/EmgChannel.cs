using CrampSense.Signals.Recordings;

namespace CrampSense.Sensors.Emg;

/// <summary>
/// One wired EMG input: which ADC channel carries which muscle site, and the analogue front end in front of it.
/// </summary>
public sealed record EmgChannel
{
    /// <param name="adcChannel">Single-ended ADC input, CH0–CH7.</param>
    /// <param name="site">Muscle site, a valid <see cref="RecordingLayout"/> site name (e.g. <c>calf</c>).</param>
    /// <param name="gain">
    /// Voltage gain from the electrodes to the ADC pin. MyoWare 2.0 RAW output: fixed gain of 200
    /// (MyoWare 2.0 Muscle Sensor datasheet, "RAW EMG output"); check your board.
    /// </param>
    /// <param name="offsetVolts">
    /// DC level of the ADC input when the electrodes see 0 V. MyoWare 2.0 RAW is centred at Vs/2
    /// (1.65 V on a 3.3 V supply); null means half the ADC reference.
    /// </param>
    public EmgChannel(int adcChannel, string site, double gain, double? offsetVolts = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(adcChannel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(adcChannel, 7);
        if (!RecordingLayout.IsValidSite(site))
        {
            throw new ArgumentException($"Site '{site}' is not valid: use lower-case letters, digits and '_'.", nameof(site));
        }

        if (!double.IsFinite(gain) || gain <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, "Gain must be a positive, finite number.");
        }

        AdcChannel = adcChannel;
        Site = site;
        Gain = gain;
        OffsetVolts = offsetVolts;
    }

    public int AdcChannel { get; }

    public string Site { get; }

    public double Gain { get; }

    public double? OffsetVolts { get; }
}
