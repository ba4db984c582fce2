using CrampSense.Signals.Recordings;
using ScottPlot;

namespace CrampSense.Cli.Plotting;

/// <summary>
/// Draws one recording as one PNG: a panel per site (raw EMG as a min/max band with its envelope, truth intervals
/// shaded, detected events as vertical lines), the skin temperature and the motion on the same time axis, and
/// below them a close-up of each cramp (<see cref="ZoomWindow"/>) with its onset, confirmation and end.
/// </summary>
/// <remarks>
/// Event lines carry no text: in an overview the onset and confirmation of one cramp are a few pixels apart and
/// their labels ran into each other and into the time axis. Each kind of line is named once in the panel's legend,
/// outside the data on the right, and the close-ups' titles give the times in numbers.
/// </remarks>
internal static class RecordingPlotter
{
    public const int WidthPixels = 1600;
    private const int SiteRowPixels = 260;
    private const int SlowRowPixels = 150;
    private const int ZoomRowPixels = 300;

    // The same margins on every panel, so their time axes line up; the right margin holds the legends.
    private static readonly PixelPadding Margins = new(left: 90, right: 200, bottom: 48, top: 34);

    /// <summary>The height of the figure of <paramref name="data"/>.</summary>
    public static int HeightPixels(RecordingPlotData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return (data.Layout.Sites.Count * SiteRowPixels) + (2 * SlowRowPixels) + (data.Zooms.Count * ZoomRowPixels);
    }

    /// <summary>Renders the figure to <paramref name="path"/> (given with <paramref name="option"/>), as a whole or not at all.</summary>
    public static void Save(
        RecordingPlotData data,
        IReadOnlyList<TruthInterval> truth,
        IReadOnlyList<EventMarker> events,
        string title,
        string option,
        string path)
    {
        var png = Render(data, truth, events, title);
        OutputFile.WriteBytes(option, path, png);
    }

    /// <summary>The figure as PNG bytes.</summary>
    public static byte[] Render(RecordingPlotData data, IReadOnlyList<TruthInterval> truth, IReadOnlyList<EventMarker> events, string title)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(events);
        var sites = data.Layout.Sites;
        var (scale, unit) = TimeUnitFor(data.EndSeconds);
        var end = Math.Max(data.EndSeconds, 1e-3);

        var figure = new Multiplot();
        var rows = sites.Count + 2 + data.Zooms.Count;
        figure.AddPlots(rows);
        var heights = new List<float>();
        for (var i = 0; i < sites.Count; i++)
        {
            var plot = figure.GetPlot(i);
            var site = sites[i];
            plot.Title(i == 0 ? $"{title} — {site}" : site, size: 14);
            plot.YLabel("EMG (mV)");
            AddTruth(plot, truth.Where(t => t.Site == site), scale);
            AddBand(plot, data.Raw(i), scale, Colors.SteelBlue.WithAlpha(0.6), "raw EMG");
            AddEnvelope(plot, data.Envelope(i), scale);
            AddMarkers(plot, events.Where(e => e.Site is null || e.Site == site), scale);
            plot.XLabel($"time ({unit})");
            Finish(plot, 0, end / scale, legend: true);
            heights.Add(SiteRowPixels);
        }

        var temperature = figure.GetPlot(sites.Count);
        temperature.YLabel("skin (°C)");
        AddBand(temperature, data.SkinTemperature, scale, Colors.OrangeRed, "skin temperature");
        Finish(temperature, 0, end / scale, legend: false);
        heights.Add(SlowRowPixels);

        var motion = figure.GetPlot(sites.Count + 1);
        motion.YLabel("|a| − 1 g");
        motion.XLabel($"time ({unit})");
        AddBand(motion, data.Motion, scale, Colors.DarkGreen.WithAlpha(0.7), "motion");
        Finish(motion, 0, end / scale, legend: false);
        heights.Add(SlowRowPixels);

        for (var z = 0; z < data.Zooms.Count; z++)
        {
            var zoom = data.Zooms[z];
            var window = zoom.Window;
            var plot = figure.GetPlot(sites.Count + 2 + z);
            plot.Title($"close-up {z + 1}: {window.Title}", size: 14);
            plot.YLabel("EMG (mV)");
            plot.XLabel("time (s)");
            AddTruth(plot, truth.Where(t => t.Site == window.Site && t.EndSeconds >= window.FromSeconds && t.StartSeconds <= window.ToSeconds), 1);
            AddBand(plot, zoom.Raw, 1, Colors.SteelBlue.WithAlpha(0.6), "raw EMG");
            AddEnvelope(plot, zoom.Envelope, 1);
            AddMarkers(plot, events.Where(e => (e.Site is null || e.Site == window.Site) && e.TimeSeconds >= window.FromSeconds && e.TimeSeconds <= window.ToSeconds), 1);
            Finish(plot, window.FromSeconds, Math.Min(window.ToSeconds, end), legend: true);
            heights.Add(ZoomRowPixels);
        }

        var layout = new ScottPlot.MultiplotLayouts.DraggableRows();
        layout.SetHeights(heights);
        figure.Layout = layout;
        var height = HeightPixels(data);
        return figure.Render(WidthPixels, height).GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>Seconds for short recordings, minutes up to two hours, hours beyond, so ticks stay readable.</summary>
    internal static (double Scale, string Unit) TimeUnitFor(double durationSeconds) => durationSeconds switch
    {
        > 7200 => (3600, "h"),
        > 300 => (60, "min"),
        _ => (1, "s"),
    };

    private static void Finish(Plot plot, double from, double to, bool legend)
    {
        // Every panel spans its whole time range, also those with no data, so the time axes line up.
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(from, Math.Max(to, from + 1e-3));
        plot.Layout.Fixed(Margins);
        if (legend)
        {
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.HideLegend();
        }
    }

    private static void AddTruth(Plot plot, IEnumerable<TruthInterval> intervals, double scale)
    {
        var labelled = new HashSet<TruthKind>();
        foreach (var interval in intervals)
        {
            var span = plot.Add.HorizontalSpan(interval.StartSeconds / scale, interval.EndSeconds / scale, TruthColor(interval.Kind).WithAlpha(0.25));

            // One legend entry per kind: a 10 h recording has hundreds of intervals.
            if (labelled.Add(interval.Kind))
            {
                span.LegendText = "truth: " + interval.Kind.ToString().ToLowerInvariant();
            }
        }
    }

    private static void AddEnvelope(Plot plot, MinMaxDecimator trace, double scale)
    {
        var (time, _, max) = trace.ToArrays();
        if (time.Length > 0)
        {
            var envelope = plot.Add.ScatterLine(Scale(time, scale), max, Colors.Black);
            envelope.LineWidth = 1.5f;
            envelope.LegendText = "envelope";
        }
    }

    private static void AddMarkers(Plot plot, IEnumerable<EventMarker> events, double scale)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var marker in events)
        {
            var (name, color, pattern) = MarkerStyle(marker.Type);
            var line = plot.Add.VerticalLine(marker.TimeSeconds / scale, 2f, color, pattern);
            if (named.Add(name))
            {
                line.LegendText = name;
            }
        }
    }

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

    /// <summary>The legend name, colour and pattern of an event line.</summary>
    internal static (string Name, Color Color, LinePattern Pattern) MarkerStyle(string type) => type switch
    {
        EventMarker.Onset => ("cramp onset", Colors.DarkRed, LinePattern.Solid),
        EventMarker.Confirmed => ("cramp confirmed", Colors.Magenta, LinePattern.Dashed),
        EventMarker.End => ("cramp end", Colors.Black, LinePattern.DenselyDashed),
        _ when type.StartsWith("cramp_warning", StringComparison.Ordinal) => ("cramp warning", Colors.DarkOrange, LinePattern.Dashed),
        _ when type.StartsWith("signal_fault", StringComparison.Ordinal) => ("signal fault", Colors.DimGray, LinePattern.Dotted),
        _ => (type, Colors.DarkRed, LinePattern.Dotted),
    };
}
