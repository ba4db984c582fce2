using System.Globalization;
using CrampSense.Detection;

namespace CrampSense.Coaching;

/// <summary>
/// Turns cramp events, activity context and the passing of time into <see cref="CoachPrompt"/>s. Pure rules: it
/// reads the time only from the injected <see cref="TimeProvider"/>, converts to local time only with the given
/// <see cref="TimeZoneInfo"/>, and does no I/O. The rules, defaults and sources are in docs/coach.md.
/// </summary>
/// <remarks>
/// Feed it every event (<see cref="OnEvent"/>), every activity change plus a periodic context update
/// (<see cref="OnActivity"/>), weakness reports from the user (<see cref="OnWeaknessReported"/>), and call
/// <see cref="Tick"/> regularly (e.g. every 30 s) for the timed reminders. Each call returns the prompts it issued,
/// in order, usually none. All methods are thread-safe (one lock; the work per call is tiny).
/// </remarks>
public sealed class CrampCoach
{
    // Event keys remembered for de-duplication; a re-sent event is older than this many events only after a
    // long outage, and then at worst re-prompts once.
    private const int RememberedEventKeys = 4096;

    // Starts of cramps whose cramp_ended has not arrived; more than this many open cramps means events were lost.
    private const int MaxOpenCramps = 256;

    private readonly Lock _gate = new();
    private readonly CoachOptions _options;
    private readonly CoachTexts _texts;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private readonly string _device;

    private readonly HashSet<string> _handledEventKeys = new(StringComparer.Ordinal);
    private readonly Queue<string> _handledEventOrder = new();
    private readonly Dictionary<string, SiteState> _sites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _openCramps = new(StringComparer.Ordinal);

    private ActivityKind _activity = ActivityKind.Rest;
    private double? _skinTemperature;
    private DateTimeOffset? _exerciseStartedAt;
    private DateTimeOffset? _exerciseHydrationAnchor;
    private DateTimeOffset? _lastHydrateAt;
    private DateTimeOffset? _lastSeeDoctorAt;
    private CoachPrompt? _deferredSeeDoctor;
    private DateOnly? _lastBedtimeDate;
    private DateTimeOffset _snoozedUntil = DateTimeOffset.MinValue;

    /// <summary>Creates a coach.</summary>
    /// <param name="deviceId">The wearable's id; it prefixes the ids of prompts not caused by an event.</param>
    /// <param name="options">Settings; validated here (<see cref="CoachOptions.Validate"/>).</param>
    /// <param name="timeProvider">The clock (a <c>FakeTimeProvider</c> in tests, <see cref="TimeProvider.System"/> in the service).</param>
    /// <param name="timeZone">The user's time zone, for bedtime and quiet hours.</param>
    /// <param name="texts">Prompt texts; null loads the embedded texts of <see cref="CoachOptions.Language"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names its configuration key.</exception>
    public CrampCoach(string deviceId, CoachOptions options, TimeProvider timeProvider, TimeZoneInfo timeZone, CoachTexts? texts = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(timeZone);
        options.Validate();
        _device = deviceId;
        _options = options;
        _time = timeProvider;
        _zone = timeZone;
        _texts = texts ?? CoachTexts.Load(options.Language);
        var seeDoctor = options.SeeDoctor;
        History = new CrampHistory(seeDoctor.FrequentWindow, seeDoctor.HistoryMaxEntries);
    }

    /// <summary>The recent cramps counted by the frequency rule.</summary>
    public CrampHistory History { get; }

    /// <summary>The current activity, as last reported.</summary>
    public ActivityKind Activity
    {
        get
        {
            lock (_gate)
            {
                return _activity;
            }
        }
    }

    /// <summary>Adds cramps from the host's persisted history (e.g. at start-up), so the frequency rule sees them.</summary>
    public void SeedHistory(IEnumerable<PastCramp> cramps)
    {
        ArgumentNullException.ThrowIfNull(cramps);
        lock (_gate)
        {
            History.Seed(cramps, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Handles one detector event. <c>cramp_started</c> gives a stretch prompt (a cramp alert, sent even in quiet
    /// hours); <c>cramp_ended</c> gives aftercare (drink, massage or warmth) or, after a severe cramp, a rest prompt,
    /// and may give a see-a-doctor prompt. Warnings and faults give none. An event seen before (same type and id)
    /// gives nothing.
    /// </summary>
    public IReadOnlyList<CoachPrompt> OnEvent(CrampEvent cramp)
    {
        ArgumentNullException.ThrowIfNull(cramp);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var prompts = new List<CoachPrompt>(2);
            if (Remember(cramp.Type + "|" + cramp.Id))
            {
                switch (cramp.Type)
                {
                    case CrampEventKind.CrampStarted:
                        OnCrampStarted(cramp, now, prompts);
                        break;
                    case CrampEventKind.CrampEnded:
                        OnCrampEnded(cramp, now, prompts);
                        break;
                    default:
                        break;
                }
            }

            CheckDue(now, prompts);
            return prompts;
        }
    }

    /// <summary>
    /// Updates the activity context: call on every change and periodically with the skin temperature. The end of
    /// an exercise of at least <see cref="HydrationOptions.AfterExerciseMinimumDuration"/> gives a drink prompt.
    /// </summary>
    public IReadOnlyList<CoachPrompt> OnActivity(ActivityContext context)
    {
        if (!Enum.IsDefined(context.Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(context), context.Kind, "Unknown activity kind.");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var prompts = new List<CoachPrompt>(1);
            _skinTemperature = context.SkinTemperatureCelsius is { } t && double.IsFinite(t) ? t : null;
            if (context.Kind == ActivityKind.Exercise && _activity != ActivityKind.Exercise)
            {
                _exerciseStartedAt = now;
                _exerciseHydrationAnchor = now;
            }
            else if (context.Kind != ActivityKind.Exercise && _activity == ActivityKind.Exercise && _exerciseStartedAt is { } started)
            {
                if (now - started >= _options.Hydration.AfterExerciseMinimumDuration)
                {
                    TryHydrate(
                        now,
                        $"{_device}:hydrate:after_exercise:{UnixMs(started)}",
                        null,
                        PromptUrgency.Normal,
                        _texts.Get(TextKeys.HydrateAfterExerciseTitle),
                        _texts.Get(TextKeys.HydrateAfterExerciseText),
                        null,
                        prompts);
                }

                _exerciseStartedAt = null;
                _exerciseHydrationAnchor = null;
            }

            _activity = context.Kind;
            CheckDue(now, prompts);
            return prompts;
        }
    }

    /// <summary>
    /// The user reported weakness in a muscle after a cramp (weakness is signalled only this way: by the user, via
    /// the app or a button). Gives a see-a-doctor prompt unless one was given within
    /// <see cref="SeeDoctorOptions.RepeatInterval"/>.
    /// </summary>
    /// <param name="site">The site the weakness is in, if known.</param>
    public IReadOnlyList<CoachPrompt> OnWeaknessReported(string? site = null)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var prompts = new List<CoachPrompt>(1);
            TrySeeDoctor(now, $"{_device}:see_doctor:weakness:{UnixMs(now)}", site, null, [_texts.Get(TextKeys.SeeDoctorWeaknessText)], prompts);
            CheckDue(now, prompts);
            return prompts;
        }
    }

    /// <summary>
    /// Issues what has come due: hydration reminders during exercise, the bedtime reminder, a see-a-doctor prompt
    /// held back by quiet hours. Call it regularly (e.g. every 30 s); calling more often changes nothing.
    /// </summary>
    public IReadOnlyList<CoachPrompt> Tick()
    {
        lock (_gate)
        {
            var prompts = new List<CoachPrompt>(1);
            CheckDue(_time.GetUtcNow(), prompts);
            return prompts;
        }
    }

    /// <summary>True when <paramref name="utc"/> falls in the configured quiet hours (local time).</summary>
    public bool IsQuietHours(DateTimeOffset utc)
    {
        var window = _options.QuietHours.Window;
        return !window.IsEmpty && window.Contains(TimeOnly.FromTimeSpan(ToLocal(utc).TimeOfDay));
    }

    /// <summary>
    /// True while prompts are held: in quiet hours, or while the wearer snoozed them (<see cref="Snooze"/>). Held
    /// prompts behave as in quiet hours: cramp alerts still come, the see-a-doctor advice waits, the rest is dropped.
    /// </summary>
    public bool IsHeld(DateTimeOffset utc) => IsQuietHours(utc) || utc < _snoozedUntil;

    /// <summary>The wearer asked for no prompts until <paramref name="until"/> (a feedback command); a later snooze replaces it.</summary>
    public void Snooze(DateTimeOffset until)
    {
        lock (_gate)
        {
            _snoozedUntil = until;
        }
    }

    /// <summary>
    /// The wearer says the cramp <paramref name="eventId"/> (started at <paramref name="startedAt"/>) was none: it leaves
    /// the history the frequency rule counts, and its later <c>cramp_ended</c> gives nothing. False when it was not counted.
    /// </summary>
    public bool ForgetCramp(string eventId, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        lock (_gate)
        {
            Remember(CrampEventKind.CrampEnded + "|" + eventId);
            if (_openCramps.Remove(eventId, out var open))
            {
                startedAt = open;
            }

            // Within a second: the caller's start comes from the same event and clock, but through its own arithmetic.
            return History.Remove(startedAt, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The wearer reported a cramp the detector missed, started at <paramref name="startedAt"/>: the frequency rule counts it.</summary>
    public void OnCrampReported(DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            History.Add(new PastCramp(startedAt), _time.GetUtcNow());
        }
    }

    private void OnCrampStarted(CrampEvent cramp, DateTimeOffset now, List<CoachPrompt> prompts)
    {
        // duration_s on cramp_started is confirmed − onset: the cramp began that long before it was reported.
        var startedAt = now - Seconds(cramp.DurationSeconds);
        History.Add(new PastCramp(startedAt), now);
        if (_openCramps.Count >= MaxOpenCramps)
        {
            _openCramps.Remove(_openCramps.MinBy(p => p.Value).Key);
        }

        _openCramps[cramp.Id] = startedAt;

        var site = SiteOf(cramp.Site);
        var stretch = _options.Stretch;
        var newEpisode = site.LastStretchAt is not { } lastStretch
            || now - lastStretch >= stretch.RepeatInterval
            || (site.LastEndedAt is { } lastEnded && startedAt - lastEnded >= stretch.NewEpisodeQuietPeriod);
        if (!newEpisode)
        {
            return;
        }

        var group = SiteMuscles.GroupOf(cramp.Site);
        site.LastStretchAt = now;
        prompts.Add(new CoachPrompt
        {
            Id = $"{cramp.Id}:{CoachPrompt.KindName(PromptKind.Stretch)}",
            Kind = PromptKind.Stretch,
            Site = cramp.Site,
            Urgency = PromptUrgency.High,
            Title = _texts.Format(CoachTexts.StretchKey(group, "title"), ("site", cramp.Site)),
            Text = _texts.Format(CoachTexts.StretchKey(group, "text"), ("hold_s", stretch.HoldSeconds)),
            HapticPattern = HapticPattern.CrampAlert,
            CreatedAt = now,
            TriggerId = cramp.Id,
        });
    }

    private void OnCrampEnded(CrampEvent cramp, DateTimeOffset now, List<CoachPrompt> prompts)
    {
        var duration = Seconds(cramp.DurationSeconds);
        if (_openCramps.Remove(cramp.Id, out var startedAt))
        {
            History.SetDuration(startedAt, duration);
        }
        else
        {
            // The start was never seen (lost, or the coach restarted): still count the cramp.
            History.Add(new PastCramp(now - duration, duration), now);
        }

        SiteOf(cramp.Site).LastEndedAt = now;
        var aftercare = _options.Aftercare;
        var severe = duration >= aftercare.SevereDuration
            || (cramp.PeakPercentOfMax is { } peak && peak >= aftercare.SeverePeakPercentOfMax);
        var quiet = IsHeld(now);
        if (severe)
        {
            if (!quiet)
            {
                prompts.Add(new CoachPrompt
                {
                    Id = $"{cramp.Id}:{CoachPrompt.KindName(PromptKind.Rest)}",
                    Kind = PromptKind.Rest,
                    Site = cramp.Site,
                    Urgency = PromptUrgency.Normal,
                    Title = _texts.Get(TextKeys.RestTitle),
                    Text = _texts.Format(TextKeys.RestText, ("rest_min", aftercare.RestMinutes)),
                    HapticPattern = HapticPattern.Attention,
                    CreatedAt = now,
                    TriggerId = cramp.Id,
                });

                // The rest text also says to drink, so it counts as the latest drink advice.
                MarkHydrated(now);
            }
        }
        else
        {
            var exercising = _activity == ActivityKind.Exercise;
            TryHydrate(
                now,
                $"{cramp.Id}:{CoachPrompt.KindName(PromptKind.Hydrate)}",
                cramp.Site,
                PromptUrgency.Normal,
                _texts.Get(exercising ? TextKeys.AftercareExerciseTitle : TextKeys.AftercareTitle),
                _texts.Get(exercising ? TextKeys.AftercareExerciseText : TextKeys.AftercareText),
                cramp.Id,
                prompts);
        }

        var reasons = new List<string>(2);
        var seeDoctor = _options.SeeDoctor;
        var recent = History.CountWithin(seeDoctor.FrequentWindow, now);
        if (recent >= seeDoctor.FrequentCount)
        {
            reasons.Add(_texts.Format(TextKeys.SeeDoctorFrequentText, ("count", recent), ("days", FormatDays(seeDoctor.FrequentWindow))));
        }

        if (duration > seeDoctor.LongCrampDuration)
        {
            reasons.Add(_texts.Format(TextKeys.SeeDoctorLongText, ("minutes", (int)Math.Round(duration.TotalMinutes))));
        }

        if (reasons.Count > 0)
        {
            TrySeeDoctor(now, $"{cramp.Id}:{CoachPrompt.KindName(PromptKind.SeeDoctor)}", cramp.Site, cramp.Id, reasons, prompts);
        }
    }

    private void TrySeeDoctor(DateTimeOffset now, string id, string? site, string? triggerId, List<string> reasons, List<CoachPrompt> prompts)
    {
        if (_deferredSeeDoctor is not null
            || (_lastSeeDoctorAt is { } last && now - last < _options.SeeDoctor.RepeatInterval))
        {
            return;
        }

        reasons.Add(_texts.Get(TextKeys.SeeDoctorCausesText));
        var prompt = new CoachPrompt
        {
            Id = id,
            Kind = PromptKind.SeeDoctor,
            Site = site,
            Urgency = PromptUrgency.Normal,
            Title = _texts.Get(TextKeys.SeeDoctorTitle),
            Text = string.Join(" ", reasons),
            HapticPattern = HapticPattern.Attention,
            CreatedAt = now,
            TriggerId = triggerId,
        };
        _lastSeeDoctorAt = now;

        // Night cramps mostly happen in quiet hours; this advice matters too much to drop, so it waits for morning.
        if (IsHeld(now))
        {
            _deferredSeeDoctor = prompt;
        }
        else
        {
            prompts.Add(prompt);
        }
    }

    private void TryHydrate(DateTimeOffset now, string id, string? site, PromptUrgency urgency, string title, string text, string? triggerId, List<CoachPrompt> prompts)
    {
        if (IsHeld(now) || (_lastHydrateAt is { } last && now - last < _options.Hydration.MinimumGap))
        {
            return;
        }

        prompts.Add(new CoachPrompt
        {
            Id = id,
            Kind = PromptKind.Hydrate,
            Site = site,
            Urgency = urgency,
            Title = title,
            Text = text,
            HapticPattern = HapticPattern.Reminder,
            CreatedAt = now,
            TriggerId = triggerId,
        });
        MarkHydrated(now);
    }

    private void MarkHydrated(DateTimeOffset now)
    {
        _lastHydrateAt = now;
        if (_exerciseHydrationAnchor is not null)
        {
            _exerciseHydrationAnchor = now;
        }
    }

    private void CheckDue(DateTimeOffset now, List<CoachPrompt> prompts)
    {
        var quiet = IsHeld(now);
        if (_deferredSeeDoctor is { } deferred && !quiet)
        {
            prompts.Add(deferred with { CreatedAt = now });
            _deferredSeeDoctor = null;
        }

        CheckExerciseHydration(now, quiet, prompts);
        CheckBedtime(now, quiet, prompts);
    }

    private void CheckExerciseHydration(DateTimeOffset now, bool quiet, List<CoachPrompt> prompts)
    {
        if (_activity != ActivityKind.Exercise || _exerciseHydrationAnchor is not { } anchor)
        {
            return;
        }

        var hydration = _options.Hydration;
        var hot = _skinTemperature >= hydration.HotSkinTemperatureCelsius;
        var interval = hot ? hydration.HotExerciseInterval : hydration.ExerciseInterval;
        var due = anchor + interval;
        if (_lastHydrateAt is { } last && last + hydration.MinimumGap > due)
        {
            due = last + hydration.MinimumGap;
        }

        if (now < due)
        {
            return;
        }

        if (quiet)
        {
            // Skipped, not postponed: the next reminder counts from here.
            _exerciseHydrationAnchor = now;
            return;
        }

        var minutes = (int)Math.Round(interval.TotalMinutes);
        TryHydrate(
            now,
            $"{_device}:hydrate:exercise:{UnixMs(due)}",
            null,
            PromptUrgency.Low,
            _texts.Get(hot ? TextKeys.HydrateExerciseHotTitle : TextKeys.HydrateExerciseTitle),
            _texts.Format(hot ? TextKeys.HydrateExerciseHotText : TextKeys.HydrateExerciseText, ("minutes", minutes)),
            null,
            prompts);
    }

    private void CheckBedtime(DateTimeOffset now, bool quiet, List<CoachPrompt> prompts)
    {
        var bedtime = _options.Bedtime;
        if (!bedtime.NightCramps || quiet)
        {
            return;
        }

        // The latest local occurrence of the bedtime at or before now (today's, or yesterday's before it).
        var local = ToLocal(now).DateTime;
        var date = DateOnly.FromDateTime(local);
        if (TimeOnly.FromDateTime(local) < bedtime.Time)
        {
            date = date.AddDays(-1);
        }

        var since = local - date.ToDateTime(bedtime.Time);
        if (since >= bedtime.LateWindow || _lastBedtimeDate == date)
        {
            return;
        }

        _lastBedtimeDate = date;
        prompts.Add(new CoachPrompt
        {
            Id = $"{_device}:{CoachPrompt.KindName(PromptKind.BedtimeStretch)}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            Kind = PromptKind.BedtimeStretch,
            Site = null,
            Urgency = PromptUrgency.Low,
            Title = _texts.Get(TextKeys.BedtimeTitle),
            Text = _texts.Format(TextKeys.BedtimeText, ("hold_s", bedtime.HoldSeconds), ("reps", bedtime.Repetitions)),
            HapticPattern = HapticPattern.Reminder,
            CreatedAt = now,
        });
    }

    // True when the key is new (and now remembered); the oldest keys are forgotten beyond the bound.
    private bool Remember(string key)
    {
        if (!_handledEventKeys.Add(key))
        {
            return false;
        }

        _handledEventOrder.Enqueue(key);
        if (_handledEventOrder.Count > RememberedEventKeys)
        {
            _handledEventKeys.Remove(_handledEventOrder.Dequeue());
        }

        return true;
    }

    private SiteState SiteOf(string site)
    {
        if (!_sites.TryGetValue(site, out var state))
        {
            state = new SiteState();
            _sites[site] = state;
        }

        return state;
    }

    private DateTimeOffset ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, _zone);

    private static TimeSpan Seconds(double? seconds) =>
        seconds is { } s && double.IsFinite(s) && s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;

    private static long UnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static string FormatDays(TimeSpan window) =>
        Math.Round(window.TotalDays, 1).ToString(CultureInfo.InvariantCulture);

    private sealed class SiteState
    {
        public DateTimeOffset? LastStretchAt { get; set; }

        public DateTimeOffset? LastEndedAt { get; set; }
    }
}
