using System.Globalization;

namespace CrampSense.Coaching;

/// <summary>
/// Settings of the <see cref="CrampCoach"/>, bound from the configuration section <c>Coach</c> (environment:
/// <c>CRAMPSENSE_Coach__QuietHours__Start=22:00</c>). <see cref="Validate"/> names the key at fault, e.g.
/// <c>Coach:QuietHours:Start</c>.
/// </summary>
public sealed record CoachOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Coach";

    /// <summary>Language of the prompt texts (an embedded text file, <see cref="CoachTexts.Languages"/>). Default <c>en</c>.</summary>
    public string Language { get; init; } = CoachTexts.DefaultLanguage;

    /// <summary>Section <c>Coach:Stretch</c>.</summary>
    public StretchOptions Stretch { get; init; } = new();

    /// <summary>Section <c>Coach:Aftercare</c>.</summary>
    public AftercareOptions Aftercare { get; init; } = new();

    /// <summary>Section <c>Coach:Hydration</c>.</summary>
    public HydrationOptions Hydration { get; init; } = new();

    /// <summary>Section <c>Coach:Bedtime</c>.</summary>
    public BedtimeOptions Bedtime { get; init; } = new();

    /// <summary>Section <c>Coach:QuietHours</c>.</summary>
    public QuietHoursOptions QuietHours { get; init; } = new();

    /// <summary>Section <c>Coach:SeeDoctor</c>.</summary>
    public SeeDoctorOptions SeeDoctor { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> whose message and <c>ParamName</c> name the first invalid key.</summary>
    public void Validate()
    {
        if (!CoachTexts.Languages.Contains(Language, StringComparer.Ordinal))
        {
            throw Invalid("Language", Language, $"must be one of the embedded text languages ({string.Join(", ", CoachTexts.Languages)})");
        }

        RequireNotNull("Stretch", Stretch);
        RequireNotNull("Aftercare", Aftercare);
        RequireNotNull("Hydration", Hydration);
        RequireNotNull("Bedtime", Bedtime);
        RequireNotNull("QuietHours", QuietHours);
        RequireNotNull("SeeDoctor", SeeDoctor);

        RequireRange("Stretch:HoldSeconds", Stretch.HoldSeconds, 5, 300);
        RequirePositive("Stretch:RepeatInterval", Stretch.RepeatInterval);
        RequirePositive("Stretch:NewEpisodeQuietPeriod", Stretch.NewEpisodeQuietPeriod);

        RequirePositive("Aftercare:SevereDuration", Aftercare.SevereDuration);
        if (!(Aftercare.SeverePeakPercentOfMax > 0 && Aftercare.SeverePeakPercentOfMax <= 1000))
        {
            throw Invalid("Aftercare:SeverePeakPercentOfMax", Format(Aftercare.SeverePeakPercentOfMax), "must be a percentage of the maximal voluntary contraction above 0 and at most 1000");
        }

        RequireRange("Aftercare:RestMinutes", Aftercare.RestMinutes, 1, 24 * 60);

        RequirePositive("Hydration:ExerciseInterval", Hydration.ExerciseInterval);
        RequirePositive("Hydration:HotExerciseInterval", Hydration.HotExerciseInterval);
        if (Hydration.HotExerciseInterval > Hydration.ExerciseInterval)
        {
            throw Invalid("Hydration:HotExerciseInterval", Format(Hydration.HotExerciseInterval), $"must not exceed {SectionName}:Hydration:ExerciseInterval ({Format(Hydration.ExerciseInterval)}): a hot skin shortens the interval");
        }

        if (!(Hydration.HotSkinTemperatureCelsius >= 20 && Hydration.HotSkinTemperatureCelsius <= 45))
        {
            throw Invalid("Hydration:HotSkinTemperatureCelsius", Format(Hydration.HotSkinTemperatureCelsius), "must be a skin temperature between 20 and 45 °C");
        }

        RequireNonNegative("Hydration:AfterExerciseMinimumDuration", Hydration.AfterExerciseMinimumDuration);
        RequireNonNegative("Hydration:MinimumGap", Hydration.MinimumGap);

        RequirePositive("Bedtime:LateWindow", Bedtime.LateWindow);
        if (Bedtime.LateWindow >= TimeSpan.FromHours(24))
        {
            throw Invalid("Bedtime:LateWindow", Format(Bedtime.LateWindow), "must be shorter than a day");
        }

        RequireRange("Bedtime:HoldSeconds", Bedtime.HoldSeconds, 5, 120);
        RequireRange("Bedtime:Repetitions", Bedtime.Repetitions, 1, 20);
        if (Bedtime.NightCramps && QuietHours.Window.Contains(Bedtime.Time))
        {
            throw Invalid("Bedtime:Time", Bedtime.Time.ToString("HH:mm", CultureInfo.InvariantCulture), $"lies inside the quiet hours ({QuietHours.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}–{QuietHours.End.ToString("HH:mm", CultureInfo.InvariantCulture)}), so the reminder would never be sent; move it or {SectionName}:QuietHours:Start");
        }

        RequireRange("SeeDoctor:FrequentCount", SeeDoctor.FrequentCount, 2, 1000);
        RequirePositive("SeeDoctor:FrequentWindow", SeeDoctor.FrequentWindow);
        RequirePositive("SeeDoctor:LongCrampDuration", SeeDoctor.LongCrampDuration);
        RequirePositive("SeeDoctor:RepeatInterval", SeeDoctor.RepeatInterval);
        RequireRange("SeeDoctor:HistoryMaxEntries", SeeDoctor.HistoryMaxEntries, SeeDoctor.FrequentCount, 1_000_000);
    }

    private static void RequireNotNull(string key, object? section)
    {
        if (section is null)
        {
            throw Invalid(key, "null", "must not be null");
        }
    }

    private static void RequirePositive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            throw Invalid(key, Format(value), "must be a positive time span");
        }
    }

    private static void RequireNonNegative(string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw Invalid(key, Format(value), "must not be negative");
        }
    }

    private static void RequireRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw Invalid(key, value.ToString(CultureInfo.InvariantCulture), $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static ArgumentException Invalid(string key, string value, string rule)
    {
        var name = $"{SectionName}:{key}";
        return new ArgumentException($"Coach option {name} {rule}; got {value}.", name);
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
