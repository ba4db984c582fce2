namespace CrampSense.Detection.Calibration;

/// <summary>One site's personal calibration: its rest floor and, when measured, its maximal voluntary contraction.</summary>
public sealed record SiteCalibration
{
    /// <summary>Creates a calibration; throws <see cref="ArgumentOutOfRangeException"/> naming the bad value.</summary>
    public SiteCalibration(double restFloorMicrovolts, double? maxVoluntaryMicrovolts = null)
    {
        if (!double.IsFinite(restFloorMicrovolts) || restFloorMicrovolts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(restFloorMicrovolts), restFloorMicrovolts, "The rest floor must be a finite, positive number of µV.");
        }

        if (maxVoluntaryMicrovolts is { } max && (!double.IsFinite(max) || max <= restFloorMicrovolts))
        {
            throw new ArgumentOutOfRangeException(nameof(maxVoluntaryMicrovolts), max, $"The maximal voluntary contraction must be a finite number of µV above the rest floor ({restFloorMicrovolts} µV).");
        }

        RestFloorMicrovolts = restFloorMicrovolts;
        MaxVoluntaryMicrovolts = maxVoluntaryMicrovolts;
    }

    /// <summary>Envelope of the relaxed muscle, µV.</summary>
    public double RestFloorMicrovolts { get; }

    /// <summary>Envelope of a maximal voluntary contraction (highest 500 ms mean), µV; null when not calibrated.</summary>
    public double? MaxVoluntaryMicrovolts { get; }
}
