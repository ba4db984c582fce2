using System.Globalization;
using CrampSense.Detection.Calibration;

namespace CrampSense.Training;

/// <summary>A contraction the base detector confirmed as a cramp in a wearer's labelled recording, with what the wearer said it was.</summary>
/// <param name="Source">The recording (for messages).</param>
/// <param name="Site">Its site.</param>
/// <param name="OnsetSeconds">Its onset in the recording.</param>
/// <param name="Signature">The signature its <c>cramp_started</c> event carried.</param>
/// <param name="IsCramp">True when the wearer confirmed it (or the truth says cramp); false when they rejected it (voluntary).</param>
/// <param name="DurationSeconds">How long the base detector's event lasted (its <c>cramp_ended</c>'s duration), s.</param>
public sealed record HabitExample(string Source, string Site, double OnsetSeconds, HabitSignature Signature, bool IsCramp, double DurationSeconds);

/// <summary>
/// Personal adaptation (issue 16 §5): learns a wearer's voluntary habits from the contractions the base detector called
/// cramps and the wearer rejected. Per site with at least <see cref="MinimumExamples"/> rejections, the habit is the box
/// of their <see cref="HabitSignature"/>s (level over the floor, peak over mean), each side widened by half its
/// width and at least by the value's own margin (0.15 in log level ≈ ±16 %, 0.05 in log peak over mean:
/// model choices, set before any measurement and fitted to no set, meant to cover one wearer's repetition-to-repetition
/// spread). The habit also holds how long such a contraction may last and still be the habit
/// (<see cref="PersonalHabit.ConfirmAfterSeconds"/>): the longest rejected hold, lengthened by half the rejected holds'
/// spread and at least a quarter of the longest (a model choice, set before any measurement, like the box's margins:
/// a wearer's next hold may outlast the few they answered). A matching contraction still active then is confirmed
/// after all, so only a cramp inside the box that is also shorter than that is hidden. A habit that would hide any
/// cramp the trainer knows (the wearer's confirmed ones, the base's evaluation cramps) is refused: such a habit cannot
/// be told from a cramp by these values and its duration, and learning it would cost recall.
/// </summary>
public static class PersonalAdaptation
{
    /// <summary>Fewest rejected contractions on a site to learn a habit there.</summary>
    public const int MinimumExamples = 3;

    private const double LevelMargin = 0.15, SteadinessMargin = 0.05;

    // The fraction of the longest rejected hold a habit's duration is lengthened by at least (see the class comment).
    private const double DurationMargin = 0.25;

    /// <summary>What was learnt: the habits, and per site the reason a habit was not.</summary>
    public sealed record Result(IReadOnlyList<PersonalHabit> Habits, IReadOnlyList<string> Refused);

    /// <summary>Learns one habit per site from the rejected <paramref name="examples"/>, refusing any whose box holds a cramp of <paramref name="examples"/> or <paramref name="knownCramps"/>.</summary>
    public static Result Learn(IEnumerable<HabitExample> examples, IEnumerable<HabitExample> knownCramps)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(knownCramps);
        var all = examples.ToArray();
        var cramps = all.Where(e => e.IsCramp).Concat(knownCramps.Where(e => e.IsCramp)).ToArray();
        var habits = new List<PersonalHabit>();
        var refused = new List<string>();
        foreach (var site in all.Where(e => !e.IsCramp).GroupBy(e => e.Site, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rejected = site.ToArray();
            if (rejected.Length < MinimumExamples)
            {
                refused.Add($"{site.Key}: {rejected.Length} rejected contraction(s); a habit needs at least {MinimumExamples}");
                continue;
            }

            var habit = new PersonalHabit(
                site.Key,
                Box(rejected.Select(e => e.Signature.LogMeanOverFloor), LevelMargin),
                Box(rejected.Select(e => e.Signature.LogPeakOverMean), SteadinessMargin),
                rejected.Length,
                ConfirmAfter(rejected.Select(e => e.DurationSeconds)));
            var hidden = cramps.Where(c => c.Site == site.Key && habit.Matches(c.Signature) && !(c.DurationSeconds >= habit.ConfirmAfterSeconds)).ToArray();
            if (hidden.Length > 0)
            {
                refused.Add(string.Create(CultureInfo.InvariantCulture, $"{site.Key}: the {rejected.Length} rejected contractions look like cramps ({hidden.Length} known cramp(s) fall inside the habit and end within its {habit.ConfirmAfterSeconds:0.#} s, e.g. {hidden[0].Source} at {hidden[0].OnsetSeconds:0.###} s, {hidden[0].DurationSeconds:0.#} s); this habit cannot be told from a cramp by its level, steadiness and duration"));
                continue;
            }

            habits.Add(habit);
        }

        return new Result(habits, refused);
    }

    private static double ConfirmAfter(IEnumerable<double> durations)
    {
        var list = durations.ToArray();
        double shortest = list.Min(), longest = list.Max();
        return longest + Math.Max((longest - shortest) / 2, DurationMargin * longest);
    }

    private static HabitRange Box(IEnumerable<double> values, double margin)
    {
        var list = values.ToArray();
        double low = list.Min(), high = list.Max();
        var widen = Math.Max((high - low) / 2, margin);
        return new HabitRange(low - widen, high + widen);
    }
}
