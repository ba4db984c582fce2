using CrampSense.Detection;
using CrampSense.Signals.Recordings;

namespace CrampSense.Training;

/// <summary>
/// The training label of one window on one site, from the truth intervals of that site: a window mostly inside a
/// cramp is <see cref="ActivityClass.Cramp"/>; inside a voluntary contraction <see cref="ActivityClass.Voluntary"/>;
/// touched by an artifact or a fault <see cref="ActivityClass.Artifact"/>; anything else (a prodrome included: the
/// state machine, not the model, warns about it) <see cref="ActivityClass.Rest"/>. Windows on the edge of a cramp
/// or a contraction are ambiguous and get no label, so they are left out of training.
/// </summary>
public static class WindowLabels
{
    /// <summary>Share of the window a cramp or contraction must cover to label it.</summary>
    public const double MajorityFraction = 0.5;

    /// <summary>Share of the window an artifact must cover to label it an artifact.</summary>
    public const double ArtifactFraction = 0.2;

    /// <summary>
    /// The label of the window [<paramref name="startSeconds"/>, <paramref name="endSeconds"/>] given the truth
    /// intervals of its site (<paramref name="siteTruth"/>, sorted by start), or null when ambiguous.
    /// </summary>
    public static ActivityClass? Label(IReadOnlyList<TruthInterval> siteTruth, double startSeconds, double endSeconds)
    {
        ArgumentNullException.ThrowIfNull(siteTruth);
        double length = endSeconds - startSeconds;
        if (!(length > 0))
        {
            return null;
        }

        double cramp = 0;
        double voluntary = 0;
        double artifact = 0;
        bool fault = false;
        foreach (var interval in siteTruth)
        {
            if (interval.StartSeconds >= endSeconds)
            {
                break;
            }

            double overlap = Math.Min(interval.EndSeconds, endSeconds) - Math.Max(interval.StartSeconds, startSeconds);
            if (overlap <= 0)
            {
                continue;
            }

            switch (interval.Kind)
            {
                case TruthKind.Cramp:
                    cramp += overlap;
                    break;
                case TruthKind.Voluntary:
                    voluntary += overlap;
                    break;
                case TruthKind.Artifact:
                    artifact += overlap;
                    break;
                case TruthKind.Fault:
                    fault = true;
                    break;
                default:
                    break;
            }
        }

        if (fault)
        {
            return ActivityClass.Artifact;
        }

        if (cramp > 0)
        {
            return cramp >= MajorityFraction * length ? ActivityClass.Cramp : null;
        }

        if (artifact >= ArtifactFraction * length)
        {
            return ActivityClass.Artifact;
        }

        if (voluntary > 0)
        {
            return voluntary >= MajorityFraction * length ? ActivityClass.Voluntary : null;
        }

        return artifact > 0 ? null : ActivityClass.Rest;
    }
}
