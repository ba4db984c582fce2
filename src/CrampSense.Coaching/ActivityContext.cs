namespace CrampSense.Coaching;

/// <summary>
/// The activity context the host feeds to <see cref="CrampCoach.OnActivity"/>: send one whenever the activity
/// changes, and periodically (e.g. each minute) with the current skin temperature. Pure data.
/// </summary>
/// <param name="Kind">What the wearer is doing now.</param>
/// <param name="SkinTemperatureCelsius">Current skin temperature, °C; null when not measured. A warm skin during
/// exercise is taken as a proxy for heavy sweating and shortens the hydration interval.</param>
public readonly record struct ActivityContext(ActivityKind Kind, double? SkinTemperatureCelsius = null);
