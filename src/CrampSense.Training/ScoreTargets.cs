using CrampSense.Detection;
using CrampSense.Detection.Model;

namespace CrampSense.Training;

/// <summary>Which windows each score learns from, and their binary label.</summary>
public static class ScoreTargets
{
    /// <summary>
    /// The label of window <paramref name="index"/> of <paramref name="set"/> for <paramref name="kind"/>, or null when
    /// the window is not one of its examples. Intent: inside sustained activity with a label from truth, voluntary
    /// (true) vs cramp (false). Artifact: artifact or fault (true) vs cramp or voluntary muscle (false); rest is
    /// neither.
    /// </summary>
    public static bool? Label(TrainingSet set, int index, WindowScoreKind kind)
    {
        ArgumentNullException.ThrowIfNull(set);
        var label = set.LabelAt(index);
        return kind switch
        {
            WindowScoreKind.Intent => set.IsInsideActivity(index) ? label switch
            {
                ActivityClass.Voluntary => true,
                ActivityClass.Cramp => false,
                _ => null,
            } : null,
            WindowScoreKind.Artifact => label switch
            {
                ActivityClass.Artifact => true,
                ActivityClass.Cramp or ActivityClass.Voluntary => false,
                _ => null,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score."),
        };
    }

    /// <summary>Counts of (positive, negative) examples of <paramref name="kind"/> in <paramref name="set"/>.</summary>
    public static (int Positive, int Negative) Count(TrainingSet set, WindowScoreKind kind)
    {
        ArgumentNullException.ThrowIfNull(set);
        int positive = 0;
        int negative = 0;
        for (int i = 0; i < set.Count; i++)
        {
            switch (Label(set, i, kind))
            {
                case true:
                    positive++;
                    break;
                case false:
                    negative++;
                    break;
                default:
                    break;
            }
        }

        return (positive, negative);
    }
}
