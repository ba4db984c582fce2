using System.Collections.Concurrent;
using System.Globalization;
using CrampSense.Detection;
using CrampSense.Signals.Recordings;

namespace CrampSense.Wearable.Clips;

/// <summary>
/// Keeps the last <see cref="ClipOptions.BufferSeconds"/> of raw frames (a preallocated <see cref="ClipHistory"/>) and
/// cuts a clip from <see cref="ClipOptions.PreSeconds"/> before the onset to <see cref="ClipOptions.PostSeconds"/>
/// after the end of every <c>cramp_started</c> (ended by its <c>cramp_ended</c>), <c>cramp_warning</c> and user
/// report, labelled <c>detected</c> (or <c>reported</c>), <c>unconfirmed</c>. A clip is due once the buffer holds its
/// end; the ring's chunks that hold it are leased (<see cref="ClipHistory.Snapshot"/>: a few small objects, once per
/// clip, no copy of the frames) and queued to the writer (<see cref="ClipWriter"/>), which reads the frames out and
/// writes them on its own thread, so the detection thread neither copies a clip nor touches a disk.
/// </summary>
/// <remarks>
/// Runs on the detection thread: <see cref="Add"/> before the session processes the frame, <see cref="OnEvent"/>
/// from the session's output. <see cref="Report"/> may come from any thread (the feedback subscription); it is
/// handed over through a concurrent queue and takes effect at the next frame. Times are the source's seconds, the
/// detector's. An event longer than <see cref="ClipOptions.MaxEventSeconds"/> is cut there.
/// </remarks>
public sealed class ClipRecorder
{
    /// <summary>Trigger of a clip made by a <c>cramp_started</c>.</summary>
    public const string CrampTrigger = "cramp_started";

    /// <summary>Trigger of a clip made by a <c>cramp_warning</c>.</summary>
    public const string WarningTrigger = "cramp_warning";

    /// <summary>Trigger of a clip made by the wearer ("cramp now", "cramp at T").</summary>
    public const string ReportTrigger = "user_report";

    private readonly RecordingLayout _layout;
    private readonly ClipOptions _options;
    private readonly string _device;
    private readonly Func<Clip, bool> _enqueue;
    private readonly TimeProvider _time;
    private readonly ClipHistory _ring;
    private readonly List<Pending> _pending = new(8);
    private readonly ConcurrentQueue<Pending> _reports = new();

    /// <param name="layout">The source's layout (sites, rate, slow signals); its metadata (full scale) goes into every clip.</param>
    /// <param name="options">Spans and buffer length.</param>
    /// <param name="device">The device id, for the label.</param>
    /// <param name="enqueue">Takes a due clip without blocking (<see cref="ClipWriter.TryEnqueue"/>).</param>
    /// <param name="time">Stamps the clips' names and labels.</param>
    public ClipRecorder(RecordingLayout layout, ClipOptions options, string device, Func<Clip, bool> enqueue, TimeProvider time)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _enqueue = enqueue ?? throw new ArgumentNullException(nameof(enqueue));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        if (options.Validate() is [var first, ..])
        {
            throw new ArgumentException(first, nameof(options));
        }

        _ring = new ClipHistory(layout.Sites.Count, (int)Math.Ceiling(options.BufferSeconds * layout.SampleRateHz) + 1);
    }

    /// <summary>The ring of raw frames.</summary>
    public ClipHistory Buffer => _ring;

    /// <summary>Clips waiting for their end to reach the buffer.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Buffers one frame and queues the clips it completes; allocates nothing unless a clip is due.</summary>
    public void Add(RecordingFrame frame)
    {
        _ring.Add(frame);
        while (_reports.TryDequeue(out var report))
        {
            if (double.IsNaN(report.Onset))
            {
                report.Onset = frame.TimeSeconds;
                report.End = frame.TimeSeconds;
            }

            _pending.Add(report);
        }

        var now = frame.TimeSeconds;
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var p = _pending[i];
            var cut = p.Onset + _options.MaxEventSeconds;
            if ((!double.IsNaN(p.End) && now >= Math.Min(p.End, cut) + _options.PostSeconds) || now >= cut + _options.PostSeconds)
            {
                _pending.RemoveAt(i);
                Emit(p, now);
            }
        }
    }

    /// <summary>Starts a clip for a cramp start or a warning, and gives a started cramp its end; other events are ignored.</summary>
    public void OnEvent(CrampEvent cramp)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        switch (cramp.Type)
        {
            case CrampEventKind.CrampStarted when Find(cramp.Id, CrampTrigger) is null:
                _pending.Add(new Pending(CrampTrigger, cramp.Id, cramp.Site, TruthKind.Cramp, cramp.OnsetSeconds, double.NaN, ClipLabel.Detected));
                break;
            case CrampEventKind.CrampEnded when Find(cramp.Id, CrampTrigger) is { } started:
                started.End = cramp.EndSeconds ?? _ring.NewestSeconds;
                break;
            case CrampEventKind.CrampWarning:
                _pending.Add(new Pending(WarningTrigger, cramp.Id, cramp.Site, TruthKind.Prodrome, cramp.OnsetSeconds, cramp.ConfirmedSeconds ?? cramp.EndSeconds ?? cramp.OnsetSeconds, ClipLabel.Detected));
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// The wearer reports a cramp on <paramref name="site"/> at <paramref name="onsetSeconds"/> (the source's seconds;
    /// null = now, the next frame); thread-safe. The clip spans the usual pre and post time around that instant.
    /// </summary>
    /// <param name="eventId">The id the clip's label carries (the feedback command's).</param>
    /// <param name="site">The site the wearer named.</param>
    /// <param name="onsetSeconds">When, or null for now.</param>
    /// <returns>False when <paramref name="onsetSeconds"/> is older than the buffer (nothing to cut).</returns>
    public bool Report(string eventId, string site, double? onsetSeconds)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        if (!RecordingLayout.IsValidSite(site))
        {
            throw new ArgumentException($"Site '{site}' is not a valid site name.", nameof(site));
        }

        var oldest = _ring.OldestSeconds;
        if (onsetSeconds is double at && (!double.IsFinite(at) || (!double.IsNaN(oldest) && at < oldest)))
        {
            return false;
        }

        var onset = onsetSeconds ?? double.NaN;
        _reports.Enqueue(new Pending(ReportTrigger, eventId, site, TruthKind.Cramp, onset, onset, ClipLabel.Reported));
        return true;
    }

    /// <summary>Cuts every pending clip with what the buffer holds (the session ends).</summary>
    public void Flush()
    {
        var now = _ring.NewestSeconds;
        if (double.IsNaN(now))
        {
            _pending.Clear();
            return;
        }

        foreach (var p in _pending)
        {
            Emit(p, now);
        }

        _pending.Clear();
    }

    private Pending? Find(string id, string trigger)
    {
        foreach (var p in _pending)
        {
            if (p.Trigger == trigger && p.EventId == id)
            {
                return p;
            }
        }

        return null;
    }

    private void Emit(Pending p, double now)
    {
        var cut = p.Onset + _options.MaxEventSeconds;
        var end = double.IsNaN(p.End) ? Math.Min(now, cut) : Math.Min(p.End, cut);
        // No copy here: the writer reads the frames out of the ring's leased chunks on its own thread.
        var frames = _ring.Snapshot(p.Onset - _options.PreSeconds, Math.Min(now, end + _options.PostSeconds), out var origin);
        if (frames.Count < 2)
        {
            frames.Dispose();
            return;
        }

        var start = Math.Max(0, p.Onset - origin);
        var interval = new TruthInterval(p.Kind, p.Site, start, Math.Max(start, end - origin));
        var recordedAt = _time.GetUtcNow();
        var label = new ClipLabel
        {
            Intervals = [interval],
            Origin = p.Origin,
            Trigger = p.Trigger,
            EventId = p.EventId,
            Device = _device,
            SourceStartSeconds = origin,
            RecordedAt = recordedAt,
        };
        var metadata = new Dictionary<string, string>(_layout.Metadata, StringComparer.Ordinal)
        {
            ["source"] = "crampsense-clip",
            ["clip.device"] = _device,
            ["clip.trigger"] = p.Trigger,
            ["clip.event_id"] = p.EventId,
            ["clip.source_start_s"] = origin.ToString("R", CultureInfo.InvariantCulture),
        };
        var layout = new RecordingLayout(_layout.SampleRateHz, _layout.Sites, _layout.HasSkinTemperature, _layout.HasAcceleration, metadata);
        if (!_enqueue(new Clip(NameFor(recordedAt, p), layout, frames, label)))
        {
            frames.Dispose();
        }
    }

    private static string NameFor(DateTimeOffset at, Pending p)
    {
        var kind = p.Trigger switch
        {
            CrampTrigger => "cramp",
            WarningTrigger => "warning",
            _ => "report",
        };
        var onsetMs = (long)Math.Round(p.Onset * 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{kind}-{p.Site}-{onsetMs}");
    }

    private sealed class Pending(string trigger, string eventId, string site, TruthKind kind, double onset, double end, string origin)
    {
        public string Trigger { get; } = trigger;

        public string EventId { get; } = eventId;

        public string Site { get; } = site;

        public TruthKind Kind { get; } = kind;

        public string Origin { get; } = origin;

        public double Onset { get; set; } = onset;

        public double End { get; set; } = end;
    }
}
