namespace CrampSense.Coaching;

/// <summary>
/// Maps a recording site name (lower-case letters, digits and '_', e.g. <c>calf</c>, <c>calf_left</c>,
/// <c>forearm_1</c>) to the <see cref="MuscleGroup"/> whose stretch the coach advises.
/// </summary>
public static class SiteMuscles
{
    private static readonly Dictionary<string, MuscleGroup> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["calf"] = MuscleGroup.Calf,
        ["calves"] = MuscleGroup.Calf,
        ["gastrocnemius"] = MuscleGroup.Calf,
        ["gastroc"] = MuscleGroup.Calf,
        ["soleus"] = MuscleGroup.Calf,
        ["hamstring"] = MuscleGroup.Hamstring,
        ["hamstrings"] = MuscleGroup.Hamstring,
        ["quadriceps"] = MuscleGroup.Quadriceps,
        ["quads"] = MuscleGroup.Quadriceps,
        ["quad"] = MuscleGroup.Quadriceps,
        ["foot"] = MuscleGroup.Foot,
        ["feet"] = MuscleGroup.Foot,
        ["toe"] = MuscleGroup.Foot,
        ["toes"] = MuscleGroup.Foot,
        ["hand"] = MuscleGroup.Hand,
        ["hands"] = MuscleGroup.Hand,
        ["finger"] = MuscleGroup.Hand,
        ["fingers"] = MuscleGroup.Hand,
        ["forearm"] = MuscleGroup.Hand,
        ["wrist"] = MuscleGroup.Hand,
    };

    /// <summary>
    /// The group named by the first '_'-separated word of <paramref name="site"/> that is a known muscle word
    /// (so <c>left_calf</c>, <c>calf_left</c> and <c>calf2</c>-style names with a side or number work); otherwise
    /// <see cref="MuscleGroup.Other"/>. Trailing digits of a word are ignored (<c>forearm1</c>).
    /// </summary>
    public static MuscleGroup GroupOf(string? site)
    {
        if (string.IsNullOrEmpty(site))
        {
            return MuscleGroup.Other;
        }

        foreach (var word in site.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Words.TryGetValue(word.TrimEnd("0123456789".ToCharArray()), out var group))
            {
                return group;
            }
        }

        return MuscleGroup.Other;
    }
}
