using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// What a clip's label says as truth: the relabelling by hand (<c>crampsense clips relabel</c>) and the intervals a
/// clip gives training (<c>crampsense clips export</c>, <c>train --personal</c>). The event's interval is the one of
/// kind cramp, prodrome, voluntary or artifact; fault and rest intervals are kept as they are.
/// </summary>
public static class ClipLabelling
{
    /// <summary>The kinds a wearer or a relabelling can give an event.</summary>
    public static readonly IReadOnlyList<TruthKind> LabelKinds = [TruthKind.Cramp, TruthKind.Voluntary, TruthKind.Artifact];

    /// <summary>True for a label the wearer or a person gave (confirmed, rejected, relabelled); false for the detector's guess.</summary>
    public static bool IsAnswered(ClipLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Status != ClipStatus.Unconfirmed;
    }

    /// <summary>
    /// The label with its event interval (the span of all its event intervals) replaced by one of
    /// <paramref name="kind"/> on <paramref name="site"/> (default: the event's own site), status
    /// <see cref="ClipStatus.Relabelled"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a label kind, or the label has no event interval.</exception>
    public static ClipLabel Relabel(ClipLabel label, TruthKind kind, string? site = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!LabelKinds.Contains(kind))
        {
            throw new ArgumentException($"'{GroundTruth.KindName(kind)}' is not a clip label (use {string.Join(", ", LabelKinds.Select(GroundTruth.KindName))})", nameof(kind));
        }

        var events = label.Intervals.Where(IsEvent).ToArray();
        if (events.Length == 0)
        {
            throw new ArgumentException("the sidecar has no event interval (cramp, prodrome, voluntary or artifact) to relabel", nameof(label));
        }

        var relabelled = new TruthInterval(kind, site ?? events[0].Site, events.Min(e => e.StartSeconds), events.Max(e => e.EndSeconds));
        return label.With(ClipStatus.Relabelled, [.. label.Intervals.Where(i => !IsEvent(i)), relabelled]);
    }

    /// <summary>
    /// The truth a clip gives training: a rejected clip's cramp or prodrome is the wearer's voluntary activity (the
    /// wearer said it was not a cramp); confirmed and relabelled clips say what they say. An unconfirmed clip's
    /// intervals are the detector's own guess, returned unchanged (the caller decides whether to learn from them).
    /// </summary>
    public static IReadOnlyList<TruthInterval> TrainingIntervals(ClipLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Status != ClipStatus.Rejected
            ? label.Intervals
            : [.. label.Intervals.Select(i => i.Kind is TruthKind.Cramp or TruthKind.Prodrome ? new TruthInterval(TruthKind.Voluntary, i.Site, i.StartSeconds, i.EndSeconds) : i)];
    }

    private static bool IsEvent(TruthInterval interval) =>
        interval.Kind is TruthKind.Cramp or TruthKind.Prodrome or TruthKind.Voluntary or TruthKind.Artifact;
}
