using System.Globalization;
using CrampSense.Signals.Recordings;
using ScottPlot;

namespace CrampSense.Cli.Plotting;

/// <summary>
/// Draws one PNG per site: raw EMG (min/max band) with its envelope, truth intervals shaded and detected
/// events marked, and the skin temperature and motion underneath on the same time axis.
/// </summary>
internal static class RecordingPlotter
{
    public const int WidthPixels = 1600;
    public const int HeightPixels = 900;

    /// <summary>Where the PNG of <paramref name="site"/> goes: the given path for a single site, else <c>name.site.png</c>.</summary>
    public static string OutputPathFor(string outPath, string site, int siteCount)
    {
        ArgumentNullException.ThrowIfNull(outPath);
        if (siteCount == 1)
        {
            return outPath;
        }

        var directory = Path.GetDirectoryName(outPath) ?? string.Empty;
        var stem = Path.GetFileNameWithoutExtension(outPath);
        var extension = Path.GetExtension(outPath);
        return Path.Combine(directory, $"{stem}.{site}{(extension.Length == 0 ? ".png" : extension)}");
    }

    /// <summary>Renders the site's figure to <paramref name="path"/>.</summary>
    public static void SaveSite(
        RecordingPlotData data,
        int siteIndex,
        IReadOnlyList<TruthInterval> truth,
        IReadOnlyList<EventMarker> events,
        string title,
        string path)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(events);
        var site = data.Layout.Sites[siteIndex];
        var (scale, unit) = TimeUnitFor(data.EndSeconds);

        var figure = new Multiplot();
        figure.AddPlots(3);
        var emg = figure.GetPlot(0);
        var temperature = figure.GetPlot(1);
        var motion = figure.GetPlot(2);

        emg.Title($"{title} — {site}");
        emg.YLabel("EMG (mV)");
        var labelled = new HashSet<TruthKind>();
        foreach (var interval in truth.Where(i => i.Site == site))
        {
            var span = emg.Add.HorizontalSpan(interval.StartSeconds / scale, interval.EndSeconds / scale, TruthColor(interval.Kind).WithAlpha(0.25));

            // One legend entry per kind: a 10 h recording has hundreds of intervals.
            if (labelled.Add(interval.Kind))
            {
                span.LegendText = interval.Kind.ToString().ToLowerInvariant();
            }
        }

        AddBand(emg, data.Raw(siteIndex), scale, Colors.SteelBlue.WithAlpha(0.6), "raw EMG");
        var (envTime, _, envMax) = data.Envelope(siteIndex).ToArrays();
        if (envTime.Length > 0)
        {
            var envelope = emg.Add.ScatterLine(Scale(envTime, scale), envMax, Colors.Black);
            envelope.LineWidth = 1.5f;
            envelope.LegendText = "envelope";
        }

        foreach (var marker in events.Where(e => e.Site is null || e.Site == site))
        {
            var line = emg.Add.VerticalLine(marker.TimeSeconds / scale, 1.5f, EventColor(marker.Type), LinePattern.Dashed);
            line.Text = marker.Type;
            line.LabelFontSize = 10;
        }

        emg.ShowLegend(Alignment.UpperRight);

        temperature.YLabel("skin (°C)");
        AddBand(temperature, data.SkinTemperature, scale, Colors.OrangeRed, "skin temperature");

        motion.YLabel("|a| − 1 g");
        motion.XLabel($"time ({unit})");
        AddBand(motion, data.Motion, scale, Colors.DarkGreen.WithAlpha(0.7), "motion");

        figure.Layout = new ScottPlot.MultiplotLayouts.DraggableRows();
        ((ScottPlot.MultiplotLayouts.DraggableRows)figure.Layout).SetHeights([0.6f * HeightPixels, 0.2f * HeightPixels, 0.2f * HeightPixels]);
        foreach (var plot in new[] { emg, temperature, motion })
        {
            // Every panel spans the whole recording, also those with no data, so the time axes line up.
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsX(0, Math.Max(data.EndSeconds, 1e-3) / scale);
        }

        figure.SavePng(path, WidthPixels, HeightPixels);
    }

    /// <summary>Seconds for short recordings, minutes up to two hours, hours beyond, so ticks stay readable.</summary>
    internal static (double Scale, string Unit) TimeUnitFor(double durationSeconds) => durationSeconds switch
    {
        > 7200 => (3600, "h"),
        > 300 => (60, "min"),
        _ => (1, "s"),
    };

    private static void AddBand(Plot plot, MinMaxDecimator trace, double scale, Color color, string label)
    {
        var (time, min, max) = trace.ToArrays();
        if (time.Length == 0)
        {
            var note = plot.Add.Annotation($"no {label} in this recording");
            note.LabelFontSize = 12;
            return;
        }

        var x = Scale(time, scale);
        if (trace.PointsPerBucket == 1)
        {
            var line = plot.Add.ScatterLine(x, max, color);
            line.LegendText = label;
            return;
        }

        var band = plot.Add.FillY(x, min, max);
        band.FillColor = color;
        band.LineColor = color;
        band.LegendText = label;
    }

    private static double[] Scale(double[] seconds, double scale)
    {
        var result = new double[seconds.Length];
        for (var i = 0; i < seconds.Length; i++)
        {
            result[i] = seconds[i] / scale;
        }

        return result;
    }

    private static Color TruthColor(TruthKind kind) => kind switch
    {
        TruthKind.Cramp => Colors.Red,
        TruthKind.Prodrome => Colors.Orange,
        TruthKind.Voluntary => Colors.Green,
        TruthKind.Artifact => Colors.Purple,
        TruthKind.Fault => Colors.Gray,
        TruthKind.Rest => Colors.LightBlue,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown truth kind."),
    };

    private static Color EventColor(string type) => type.StartsWith("cramp_warning", StringComparison.Ordinal)
        ? Colors.DarkOrange
        : type.StartsWith("signal_fault", StringComparison.Ordinal)
            ? Colors.DimGray
            : Colors.DarkRed;

}
