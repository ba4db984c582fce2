namespace CrampSense.Detection.Evaluation;

/// <summary>A cramp the detector reported, as the interval evaluation compares with the truth.</summary>
/// <param name="Id">The cramp's event id.</param>
/// <param name="Site">Muscle site.</param>
/// <param name="OnsetSeconds">Reported (back-dated) onset, s.</param>
/// <param name="ConfirmedSeconds">When <c>cramp_started</c> was emitted, s.</param>
/// <param name="EndSeconds">Reported end, s.</param>
public sealed record DetectedCramp(string Id, string Site, double OnsetSeconds, double ConfirmedSeconds, double EndSeconds)
{
    /// <summary>
    /// The cramps in a stream of detector events: one per <c>cramp_started</c>/<c>cramp_ended</c> id. A cramp
    /// whose <c>cramp_ended</c> is missing is taken to last until <paramref name="recordingEndSeconds"/>.
    /// Warnings and faults are ignored. Ordered by site, then onset.
    /// </summary>
    public static IReadOnlyList<DetectedCramp> FromEvents(IEnumerable<CrampEvent> events, double recordingEndSeconds)
    {
        ArgumentNullException.ThrowIfNull(events);
        var byId = new Dictionary<string, DetectedCramp>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case CrampEventKind.CrampEnded:
                    byId[e.Id] = new DetectedCramp(
                        e.Id,
                        e.Site,
                        e.OnsetSeconds,
                        e.ConfirmedSeconds ?? e.OnsetSeconds,
                        e.EndSeconds ?? recordingEndSeconds);
                    break;
                case CrampEventKind.CrampStarted:
                    byId.TryAdd(e.Id, new DetectedCramp(
                        e.Id,
                        e.Site,
                        e.OnsetSeconds,
                        e.ConfirmedSeconds ?? e.OnsetSeconds,
                        Math.Max(recordingEndSeconds, e.ConfirmedSeconds ?? e.OnsetSeconds)));
                    break;
                default:
                    break;
            }
        }

        return byId.Values
            .OrderBy(c => c.Site, StringComparer.Ordinal)
            .ThenBy(c => c.OnsetSeconds)
            .ToList();
    }
}
