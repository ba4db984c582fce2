namespace CrampSense.Signals.Recordings;

/// <summary>What was really happening during an interval of a recording (the ground-truth sidecar).</summary>
public enum TruthKind
{
    /// <summary>A sustained involuntary contraction.</summary>
    Cramp,

    /// <summary>A voluntary contraction or movement (holds, walking, running, cycling).</summary>
    Voluntary,

    /// <summary>A signal artifact: motion, electrode pop, hum burst.</summary>
    Artifact,

    /// <summary>The pre-cramp pattern: rising activity at rest before a cramp.</summary>
    Prodrome,

    /// <summary>A sensor fault: lead-off (flat) or railed channel.</summary>
    Fault,

    /// <summary>Explicitly labelled rest (real recordings with rest labels).</summary>
    Rest,
}

/// <summary>One labelled interval of a recording, on one site, in seconds from the recording start.</summary>
public sealed record TruthInterval
{
    public TruthInterval(TruthKind kind, string site, double startSeconds, double endSeconds)
    {
        if (!RecordingLayout.IsValidSite(site))
        {
            throw new ArgumentException($"Site '{site}' is not a valid site name.", nameof(site));
        }

        if (!double.IsFinite(startSeconds) || !double.IsFinite(endSeconds) || startSeconds < 0 || endSeconds < startSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(endSeconds), $"Interval [{startSeconds}, {endSeconds}] s must have 0 <= start <= end.");
        }

        Kind = kind;
        Site = site;
        StartSeconds = startSeconds;
        EndSeconds = endSeconds;
    }

    public TruthKind Kind { get; }

    public string Site { get; }

    public double StartSeconds { get; }

    public double EndSeconds { get; }

    public double DurationSeconds => EndSeconds - StartSeconds;
}
