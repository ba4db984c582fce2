namespace CrampSense.Coaching;

/// <summary>Configuration section <c>Coach:Hydration</c>: drink reminders.</summary>
/// <remarks>
/// The evidence that dehydration causes cramps is mixed (no effect on cramp threshold at 3–5 % body-mass loss,
/// Miller 2010 and Braulick 2013; dehydration OR 1.63 in the Kona Ironman medical tent), see cramp-science.md
/// §6. The intervals are therefore product choices, not physiology constants.
/// </remarks>
public sealed record HydrationOptions
{
    /// <summary>During exercise, remind to drink this often. Default 20 min.</summary>
    public TimeSpan ExerciseInterval { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>During exercise with a hot skin (heavy sweating), remind this often. Default 10 min.</summary>
    public TimeSpan HotExerciseInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Skin temperature, °C, at or above which the hot interval applies (a sweat proxy). Default 35 °C: a product
    /// choice; no skin-temperature threshold for cramps was found (cramp-science.md §6).
    /// </summary>
    public double HotSkinTemperatureCelsius { get; init; } = 35.0;

    /// <summary>Exercise lasting at least this long gets a drink reminder when it ends. Default 20 min.</summary>
    public TimeSpan AfterExerciseMinimumDuration { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>At most one hydrate prompt within this time, whatever caused it. Default 10 min.</summary>
    public TimeSpan MinimumGap { get; init; } = TimeSpan.FromMinutes(10);
}
