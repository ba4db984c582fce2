using System.Globalization;
using CrampSense.Signals.Recordings;

namespace CrampSense.Cli.Plotting;

/// <summary>
/// A close-up of one cramp on one site: from <see cref="MarginSeconds"/> before its onset to as long after its end,
/// with the onset, confirmation and end marked. In a 30-minute night a 10-s cramp is a sliver of the overview;
/// this is the view in which a physiotherapist judges the onset, the plateau and the end.
/// </summary>
internal sealed record ZoomWindow(string Site, double OnsetSeconds, double? ConfirmedSeconds, double? EndSeconds, bool Detected)
{
    /// <summary>Seconds shown before the onset and after the end.</summary>
    public const double MarginSeconds = 30;

    /// <summary>Close-ups drawn at most; a long recording with more cramps says how many were left out.</summary>
    public const int MaximumCount = 8;

    public double FromSeconds => Math.Max(0, OnsetSeconds - MarginSeconds);

    public double ToSeconds => (EndSeconds ?? ConfirmedSeconds ?? OnsetSeconds) + MarginSeconds;

    /// <summary>The panel's title: what it shows, with its times.</summary>
    public string Title => Detected
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Site} cramp: onset {OnsetSeconds:0.0} s, confirmed {(ConfirmedSeconds is { } c ? $"{c:0.0} s" : "–")}, end {(EndSeconds is { } e ? $"{e:0.0} s ({e - OnsetSeconds:0.0} s long)" : "not in the recording")}")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Site} cramp in the truth, not detected: {OnsetSeconds:0.0}–{EndSeconds:0.0} s");

    /// <summary>
    /// One window per detected cramp (a <c>cramp_started</c> onset, its confirmation and the next <c>cramp_ended</c>
    /// on the same site), then one per truth cramp that no detected cramp overlaps, in time order.
    /// </summary>
    public static List<ZoomWindow> From(IReadOnlyList<EventMarker> markers, IReadOnlyList<TruthInterval> truth)
    {
        ArgumentNullException.ThrowIfNull(markers);
        ArgumentNullException.ThrowIfNull(truth);
        var windows = new List<ZoomWindow>();
        foreach (var onset in markers.Where(m => m.Type == EventMarker.Onset && m.Site is not null))
        {
            var later = markers.Where(m => m.Site == onset.Site && m.TimeSeconds >= onset.TimeSeconds).ToList();
            var confirmed = later.FirstOrDefault(m => m.Type == EventMarker.Confirmed)?.TimeSeconds;
            var end = later.FirstOrDefault(m => m.Type == EventMarker.End)?.TimeSeconds;
            windows.Add(new ZoomWindow(onset.Site!, onset.TimeSeconds, confirmed, end, Detected: true));
        }

        foreach (var cramp in truth.Where(t => t.Kind == TruthKind.Cramp))
        {
            var seen = windows.Any(w => w.Detected && w.Site == cramp.Site
                && w.OnsetSeconds <= cramp.EndSeconds && (w.EndSeconds ?? double.PositiveInfinity) >= cramp.StartSeconds);
            if (!seen)
            {
                windows.Add(new ZoomWindow(cramp.Site, cramp.StartSeconds, null, cramp.EndSeconds, Detected: false));
            }
        }

        windows.Sort((a, b) => a.OnsetSeconds.CompareTo(b.OnsetSeconds));
        return windows;
    }
}
