using System.Globalization;
using CrampSense.Detection.Calibration;

namespace CrampSense.Training;

/// <summary>A contraction the base detector confirmed as a cramp in a wearer's labelled recording, with what the wearer said it was.</summary>
/// <param name="Source">The recording (for messages).</param>
/// <param name="Site">Its site.</param>
/// <param name="OnsetSeconds">Its onset in the recording.</param>
/// <param name="Signature">The signature its <c>cramp_started</c> event carried.</param>
/// <param name="IsCramp">True when the wearer confirmed it (or the truth says cramp); false when they rejected it (voluntary).</param>
public sealed record HabitExample(string Source, string Site, double OnsetSeconds, HabitSignature Signature, bool IsCramp);

/// <summary>
/// Personal adaptation (issue 16 §5): learns a wearer's voluntary habits from the contractions the base detector called
/// cramps and the wearer rejected. Per site with at least <see cref="MinimumExamples"/> rejections, the habit is the box
/// of their <see cref="HabitSignature"/>s (level over the floor, peak over mean), each side widened by half its
/// width and at least by the value's own margin (0.15 in log level ≈ ±16 %, 0.05 in log peak over mean:
/// model choices, set before any measurement and fitted to no set, meant to cover one wearer's repetition-to-repetition
/// spread). A box that holds any cramp the trainer knows (the wearer's confirmed ones, the base's evaluation cramps) is
/// refused: such a habit cannot be told from a cramp by these values, and learning it would cost recall.
/// </summary>
public static class PersonalAdaptation
{
    /// <summary>Fewest rejected contractions on a site to learn a habit there.</summary>
    public const int MinimumExamples = 3;

    private const double LevelMargin = 0.15, SteadinessMargin = 0.05;

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
                rejected.Length);
            var inside = cramps.Where(c => c.Site == site.Key && habit.Matches(c.Signature)).ToArray();
            if (inside.Length > 0)
            {
                refused.Add(string.Create(CultureInfo.InvariantCulture, $"{site.Key}: the {rejected.Length} rejected contractions look like cramps ({inside.Length} known cramp(s) fall inside the habit, e.g. {inside[0].Source} at {inside[0].OnsetSeconds:0.###} s); this habit cannot be told from a cramp by its level and steadiness"));
                continue;
            }

            habits.Add(habit);
        }

        return new Result(habits, refused);
    }

    private static HabitRange Box(IEnumerable<double> values, double margin)
    {
        var list = values.ToArray();
        double low = list.Min(), high = list.Max();
        var widen = Math.Max((high - low) / 2, margin);
        return new HabitRange(low - widen, high + widen);
    }
}
