using System.Globalization;
using CrampSense.Detection.Calibration;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Detection;

/// <summary>
/// The real-time cramp state machine of one site. Feed it one <see cref="WindowAssessment"/> per hop, in time
/// order, with <see cref="Process"/>; it reports <c>cramp_started</c>, <c>cramp_ended</c>, <c>cramp_warning</c>
/// and <c>signal_fault</c> to the sink. The same code runs live and on replayed recordings; call
/// <see cref="Flush"/> at the end of a recording so that a running cramp is closed.
/// </summary>
/// <remarks>
/// <para>
/// The rule, built into the structure: a cramp is sustained activity on the site for at least
/// <see cref="CrampEventTrackerOptions.MinimumCrampSeconds"/>, on a clean signal, without evidence of intent around
/// its onset. Rest → Candidate when the activity detector (<see cref="WindowAssessment.IsActive"/>, model-free) says the
/// site became active; the onset is the detector's. Quiet stretches shorter than
/// <see cref="CrampEventTrackerOptions.DipToleranceSeconds"/> are bridged without restarting the count. Any
/// <see cref="WindowAssessment.Intent"/> seen up to <see cref="CrampEventTrackerOptions.ContextAfterOnsetSeconds"/> after
/// the onset, or a rhythm (<see cref="IntentEvidence.Rhythm"/>) seen before confirmation, makes the contraction voluntary
/// (never confirmed); otherwise it becomes a Cramp once
/// <c>window end − onset ≥ MinimumCrampSeconds</c>. Shape, spectrum and the model's probabilities never decide. A cramp
/// ends after <see cref="CrampEventTrackerOptions.EndAfterSeconds"/> of quiet, at the start of that quiet (or before a
/// terminal stretch-reflex burst). See docs/detector.md.
/// </para>
/// <para>
/// A window with any quality flag is faulty: it starts a fault episode (one <c>signal_fault</c>), cancels a
/// candidate silently, and ends a running cramp with <c>end_reason = signal_fault</c> where the clean signal
/// stopped. Nothing is detected until the signal has been clean for
/// <see cref="CrampEventTrackerOptions.FaultClearSeconds"/>, and no onset is back-dated into a fault.
/// </para>
/// <para>Not thread-safe: one tracker per site, fed from one thread. Nothing is allocated per window unless an event is emitted.</para>
/// </remarks>
public sealed class CrampEventTracker
{
    // Window times come from sums of float hops; compare durations with a little slack so that exactly 5 s counts as 5 s.
    private const double TimeTolerance = 1e-6;

    // Windows of context kept: 51 s at the default 50-ms hop, more than the activity detector back-dates an onset (a held
    // activation's, up to MuscleActivityDetector.HeldLookbackSeconds = 45 s).
    private const int ContextHistory = 1024;

    private readonly CrampEventTrackerOptions _options;
    private readonly ICrampEventSink _sink;
    private readonly SiteCalibration? _calibration;
    private readonly PersonalHabit[] _habits;
    private readonly string? _modelVersion;

    private double _previousEnd;

    // No onset may lie before this: the end of the previous cramp or of a fault.
    private double _earliestOnset;

    // The recording's opening, in case it started inside activity (see OnOpeningActivity).
    private bool _openingOpen;
    private IntentEvidence _openingIntent;
    private EventStatistics _openingStatistics;

    // Candidate or cramp.
    private CrampTrackerState _state;
    private double _onset;
    private IntentEvidence _intent;

    // The context of the recent windows, so that evidence from before a candidate began (its onset is back-dated) counts.
    private readonly double[] _contextTimes = new double[ContextHistory];
    private readonly IntentEvidence[] _contextFlags = new IntentEvidence[ContextHistory];
    private int _contextPosition;
    private int _contextCount;
    private double _confirmed;
    private double _habitConfirmAfter;
    private double _floorAtOnset;
    private double _quietStart;
    private double _stretchStart;
    private double _dipStart;
    private bool _stretchFollowsDip;
    private EventStatistics _committed;
    private EventStatistics _pending;

    // Fault episode.
    private bool _inFault;
    private double _cleanSince;

    // Pre-cramp pattern.
    private double _patternStart;
    private double _patternLastRaised;
    private double _patternFloor;
    private bool _patternWarned;
    private EventStatistics _patternStatistics;
    private double _warningAllowedFrom;

    /// <summary>Creates the tracker of one site.</summary>
    /// <param name="device">Wearable id carried by every event.</param>
    /// <param name="site">Muscle site (a valid recording site name).</param>
    /// <param name="sink">Receives the events.</param>
    /// <param name="options">Thresholds and timing; validated here. Defaults when null.</param>
    /// <param name="calibration">The site's personal calibration, if any: the rest floor used when the window has none, and the maximal voluntary contraction for % of max.</param>
    /// <param name="modelVersion">Version of the model that scores the windows, carried by cramp events.</param>
    /// <param name="habits">The wearer's learnt habits on this site (<see cref="PersonalHabit"/>): a candidate that matches one when it would be confirmed is not, unless it outlasts the habit's <see cref="PersonalHabit.ConfirmAfterSeconds"/>.</param>
    public CrampEventTracker(
        string device,
        string site,
        ICrampEventSink sink,
        CrampEventTrackerOptions? options = null,
        SiteCalibration? calibration = null,
        string? modelVersion = null,
        IReadOnlyList<PersonalHabit>? habits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        ArgumentNullException.ThrowIfNull(sink);
        if (!RecordingLayout.IsValidSite(site))
        {
            throw new ArgumentException($"Site '{site}' is not a valid site name (lower-case letters, digits and '_').", nameof(site));
        }

        _options = options ?? new CrampEventTrackerOptions();
        _options.Validate();
        Device = device;
        Site = site;
        _sink = sink;
        _calibration = calibration;
        _modelVersion = modelVersion;
        _habits = habits is null ? [] : [.. habits.Where(h => h.Site == site)];
        Reset();
    }

    /// <summary>Wearable id carried by the events.</summary>
    public string Device { get; }

    /// <summary>Muscle site this tracker watches.</summary>
    public string Site { get; }

    /// <summary>The validated options in use.</summary>
    public CrampEventTrackerOptions Options => _options;

    /// <summary>Where the state machine stands after the last window.</summary>
    public CrampTrackerState State => _inFault ? CrampTrackerState.Fault : _state;

    /// <summary>
    /// The evidence of intent that keeps the running candidate from being confirmed (why a sustained contraction is taken
    /// as voluntary); <see cref="IntentEvidence.None"/> outside a candidate or while it has none.
    /// </summary>
    public IntentEvidence CandidateIntent => !_inFault && _state == CrampTrackerState.Candidate ? _intent : IntentEvidence.None;

    /// <summary>
    /// Whether <see cref="Process"/> may read <paramref name="window"/>'s <see cref="WindowAssessment.Probabilities"/> and
    /// spectral frequencies (into an event's or a warning's statistics); false only when it certainly does not (a faulty
    /// window, a fault still clearing, or a quiet window at rest outside the opening stretch that does not raise a warning
    /// pattern). Every other field of the window must be filled. The detector computes the features only these read for the
    /// windows that need them.
    /// </summary>
    public bool ReadsModelOutputs(in WindowAssessment window) =>
        window.Faults == SignalQuality.None && !_inFault
        && (_state != CrampTrackerState.Rest || window.IsActive || _openingOpen || IsRaised(window, ReferenceFloor(window)));

    /// <summary>Advances the state machine by one window; emits any event it completes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window's end time is not finite, negative, or not after the previous window.</exception>
    public void Process(in WindowAssessment window)
    {
        double t = window.EndSeconds;
        if (!double.IsFinite(t) || t < 0 || (!double.IsNaN(_previousEnd) && t <= _previousEnd))
        {
            throw new ArgumentOutOfRangeException(
                nameof(window),
                t,
                $"Window end times on site '{Site}' must be finite, non-negative and increasing; the previous window ended at {_previousEnd.ToString("R", CultureInfo.InvariantCulture)} s.");
        }

        // The window's new information lies in the hop since the previous window ended.
        double hopStart = double.IsNaN(_previousEnd) ? t : _previousEnd;
        _previousEnd = t;

        if (window.Faults != SignalQuality.None)
        {
            OnFaultyWindow(window.Faults, hopStart, t);
            return;
        }

        if (_inFault)
        {
            if (double.IsNaN(_cleanSince))
            {
                _cleanSince = hopStart;
            }

            // This window is still part of the clearing time; the next one is the first to be trusted again.
            if (t - _cleanSince >= _options.FaultClearSeconds - TimeTolerance)
            {
                // Nothing from the fault or its clearing time is used: no onset reaches back into it.
                _inFault = false;
                _cleanSince = double.NaN;
                _earliestOnset = Math.Max(_earliestOnset, t);
            }

            return;
        }

        double floor = ReferenceFloor(window);
        RememberContext(t, window.Intent);
        TrackOpening(window);
        if (double.IsFinite(window.OpeningEndSeconds))
        {
            OnOpeningActivity(window, floor);
        }

        bool active = window.IsActive;
        if (_state == CrampTrackerState.Rest)
        {
            if (active)
            {
                BeginCandidate(window, floor, hopStart);
                TryConfirm(t);
            }
            else
            {
                TrackPrecrampPattern(window, floor, hopStart, t);
            }

            return;
        }

        if (t <= _onset + _options.ContextAfterOnsetSeconds + TimeTolerance)
        {
            _intent |= window.Intent;
        }
        else if (_state == CrampTrackerState.Candidate)
        {
            // A rhythm that appears before the candidate is confirmed has its third burst inside the candidate (a series
            // needs three burst starts, each after a release of the one before): the activity is repetitions the activity
            // detector joined, not a sustained contraction. Motion, posture and co-activation later are the reaction.
            _intent |= window.Intent & IntentEvidence.Rhythm;
        }

        if (active)
        {
            if (!double.IsNaN(_quietStart))
            {
                // Activity came back before the quiet ended the event: bridge the dip, start a new stretch.
                _committed.Merge(_pending);
                _pending = default;
                _dipStart = _quietStart;
                _stretchStart = hopStart;
                _stretchFollowsDip = true;
                _quietStart = double.NaN;
            }
            else if (!_stretchFollowsDip && _state == CrampTrackerState.Candidate && double.IsFinite(window.ActivityOnsetSeconds))
            {
                // Still the activation that began the candidate: the detector refines its onset once the plateau is known.
                double refined = Math.Max(window.ActivityOnsetSeconds, _earliestOnset);
                if (refined != _onset)
                {
                    _onset = refined;
                    _stretchStart = _onset;
                    _intent = ContextBetween(_onset, _onset + _options.ContextAfterOnsetSeconds) | (_intent & (IntentEvidence.Rhythm | IntentEvidence.Habit));
                }
            }

            _pending.Add(window);
            if (_state == CrampTrackerState.Candidate)
            {
                TryConfirm(t);
            }

            return;
        }

        if (double.IsNaN(_quietStart))
        {
            _quietStart = hopStart;
        }

        double quiet = t - _quietStart;
        if (_state == CrampTrackerState.Candidate)
        {
            if (quiet >= _options.DipToleranceSeconds - TimeTolerance)
            {
                // Not sustained: the candidate was a shorter contraction, which is never a cramp.
                ClearEvent();
            }
        }
        else if (quiet >= _options.EndAfterSeconds - TimeTolerance)
        {
            EndCramp(CrampEndReason.Quiet, activeUntil: _quietStart);
        }
    }

    /// <summary>
    /// Ends the recording or session at <paramref name="endSeconds"/>: a running cramp is reported as ended
    /// (<c>end_reason = end_of_recording</c>) at the start of its current quiet stretch, or at
    /// <paramref name="endSeconds"/> when it was still active. An unconfirmed candidate is dropped. The tracker is
    /// then reset and can take a new recording.
    /// </summary>
    public void Flush(double endSeconds)
    {
        if (!double.IsFinite(endSeconds) || endSeconds < 0 || (!double.IsNaN(_previousEnd) && endSeconds < _previousEnd))
        {
            throw new ArgumentOutOfRangeException(
                nameof(endSeconds),
                endSeconds,
                $"The end of the recording on site '{Site}' must be finite and not before the last window ({_previousEnd.ToString("R", CultureInfo.InvariantCulture)} s).");
        }

        if (!_inFault && _state == CrampTrackerState.Cramp)
        {
            EndCramp(CrampEndReason.EndOfRecording, activeUntil: endSeconds);
        }

        Reset();
    }

    /// <summary>Forgets everything, as if no window had been seen. Emits nothing.</summary>
    public void Reset()
    {
        _previousEnd = double.NaN;
        _inFault = false;
        _cleanSince = double.NaN;
        _warningAllowedFrom = double.NegativeInfinity;
        _earliestOnset = double.NegativeInfinity;
        _openingOpen = true;
        _openingIntent = IntentEvidence.None;
        _openingStatistics = default;
        _contextPosition = 0;
        _contextCount = 0;
        ClearEvent();
        ResetPattern();
    }

    private double ReferenceFloor(in WindowAssessment window) =>
        window.RestFloorMicrovolts > 0 ? window.RestFloorMicrovolts : _calibration?.RestFloorMicrovolts ?? 0.0;

    private void BeginCandidate(in WindowAssessment window, double floor, double hopStart)
    {
        _state = CrampTrackerState.Candidate;
        double onset = double.IsFinite(window.ActivityOnsetSeconds) ? window.ActivityOnsetSeconds : hopStart;
        _onset = Math.Max(onset, _earliestOnset);
        _floorAtOnset = floor;
        _intent = ContextBetween(_onset, _onset + _options.ContextAfterOnsetSeconds);
        _committed = default;
        _pending = default;
        _pending.Add(window);
        _stretchStart = _onset;
        _stretchFollowsDip = false;
        _dipStart = double.NaN;
        _quietStart = double.NaN;
    }

    private void TryConfirm(double t)
    {
        // The rule: sustained for the minimum, clean (faults never reach here), and no evidence of intent around the
        // onset. Evidence can still arrive until ContextAfterOnsetSeconds after the onset, so wait for that too.
        if (t - _onset < Math.Max(_options.MinimumCrampSeconds, _options.ContextAfterOnsetSeconds) - TimeTolerance || (_intent & ~IntentEvidence.Habit) != IntentEvidence.None)
        {
            return;
        }

        var statistics = _committed;
        statistics.Merge(_pending);
        if ((_intent & IntentEvidence.Habit) == 0 && _habits.Length > 0)
        {
            // Decided once, on the signature the trainer learnt the habit from (the first confirmation's statistics).
            _habitConfirmAfter = MatchingHabitDuration(statistics);
            if (!double.IsNaN(_habitConfirmAfter))
            {
                // The wearer's own habit: evidence of intent from their answers, kept until the candidate ends...
                _intent |= IntentEvidence.Habit;
            }
        }

        // ...or until it has outlasted the wearer's holds: then it is confirmed after all, with its onset.
        if ((_intent & IntentEvidence.Habit) != 0 && t - _onset < _habitConfirmAfter - TimeTolerance)
        {
            return;
        }

        _state = CrampTrackerState.Cramp;
        _confirmed = t;
        ResetPattern();
        _sink.OnEvent(BuildCrampEvent(CrampEventKind.CrampStarted, statistics, endSeconds: null, endReason: null));
    }

    // The signature the cramp_started event would carry (its mean, peak and floor), the one the trainer learnt the
    // habit from. Returns how long after the onset a matching contraction is confirmed after all (the longest of the
    // matching habits; +∞ when one of them vetoes), NaN when no habit matches.
    private double MatchingHabitDuration(in EventStatistics statistics)
    {
        if (HabitSignature.From(statistics.MeanEnvelope, statistics.Peak, _floorAtOnset) is not { } signature)
        {
            return double.NaN;
        }

        double after = double.NaN;
        foreach (var habit in _habits)
        {
            if (habit.Matches(signature))
            {
                after = Math.Max(double.IsNaN(after) ? double.NegativeInfinity : after, habit.ConfirmAfterSeconds ?? double.PositiveInfinity);
            }
        }

        return after;
    }

    /// <summary>
    /// The recording started inside activity that has just been recognised as such (the floor fell far below the level it
    /// started at): by the rule it was a cramp if it lasted the minimum, was clean and showed no intent at its start.
    /// Reported now, with its onset at the start of the recording and its end where it fell.
    /// </summary>
    private void OnOpeningActivity(in WindowAssessment window, double floor)
    {
        double start = window.OpeningStartSeconds;
        double end = window.OpeningEndSeconds;
        if (!_openingOpen || _state != CrampTrackerState.Rest || !(end - start >= _options.MinimumCrampSeconds - TimeTolerance)
            || start < _earliestOnset || _openingIntent != IntentEvidence.None)
        {
            return;
        }

        _onset = start;
        _floorAtOnset = floor;
        _confirmed = window.EndSeconds;
        var statistics = _openingStatistics;
        _sink.OnEvent(BuildCrampEvent(CrampEventKind.CrampStarted, statistics, endSeconds: null, endReason: null));
        _sink.OnEvent(BuildCrampEvent(CrampEventKind.CrampEnded, statistics, end, CrampEndReason.Quiet));
        _earliestOnset = Math.Max(_earliestOnset, end);
        _openingOpen = false;
        ClearEvent();
    }

    private void EndCramp(CrampEndReason reason, double activeUntil)
    {
        double end;
        var statistics = _committed;
        if (!double.IsNaN(_quietStart))
        {
            // A short last burst after a dip is the stretch reflex before silence (Ross & Thomas 1995): the cramp
            // ended where the dip began, provided it had lasted the minimum duration by then.
            bool reflexBurst = _stretchFollowsDip
                && _options.ReflexBurstMaxSeconds > 0
                && _quietStart - _stretchStart <= _options.ReflexBurstMaxSeconds + TimeTolerance
                && _dipStart - _onset >= _options.MinimumCrampSeconds - TimeTolerance;
            if (reflexBurst)
            {
                end = _dipStart;
            }
            else
            {
                end = _quietStart;
                statistics.Merge(_pending);
            }
        }
        else
        {
            end = activeUntil;
            statistics.Merge(_pending);
        }

        _sink.OnEvent(BuildCrampEvent(CrampEventKind.CrampEnded, statistics, end, reason));

        // Tension stays raised after a cramp (Chaney & Sherman), which is not a new prodrome.
        _warningAllowedFrom = Math.Max(_warningAllowedFrom, _previousEnd + _options.WarningCooldownSeconds);
        _earliestOnset = Math.Max(_earliestOnset, end);
        ClearEvent();
        ResetPattern();
    }

    private void OnFaultyWindow(SignalQuality flags, double hopStart, double t)
    {
        _cleanSince = double.NaN;
        if (_inFault)
        {
            return;
        }

        _inFault = true;
        _sink.OnEvent(new CrampEvent
        {
            Type = CrampEventKind.SignalFault,
            Id = EventId("fault", hopStart),
            Device = Device,
            Site = Site,
            OnsetSeconds = RoundSeconds(hopStart),
            ConfirmedSeconds = RoundSeconds(t),
            ModelVersion = _modelVersion,
            Faults = CrampEvent.FaultNames(flags),
        });

        if (_state == CrampTrackerState.Cramp)
        {
            EndCramp(CrampEndReason.SignalFault, activeUntil: hopStart);
        }

        // A faulty channel never produces a cramp: an unconfirmed candidate is dropped, and no onset reaches back into the fault.
        ClearEvent();
        _earliestOnset = Math.Max(_earliestOnset, t);
        _openingOpen = false;
        ResetPattern();
    }

    private void TrackPrecrampPattern(in WindowAssessment window, double floor, double hopStart, double t)
    {
        // The gap counts whatever ends it: a raised window after seconds of activity (this is called only at rest) begins a
        // new pattern. Checked only on quiet windows, the troughs between repetitions (PLUX fatigue run: 0.4–1-s troughs
        // at 1.4–2.6 × floor between 3–4-s flexion cycles) added up to "20 s of raised tension" and a warning.
        if (!double.IsNaN(_patternStart) && t - _patternLastRaised >= _options.WarningGapToleranceSeconds - TimeTolerance)
        {
            ResetPattern();
        }

        if (!IsRaised(window, floor))
        {
            return;
        }

        if (double.IsNaN(_patternStart))
        {
            _patternStart = hopStart;
            _patternFloor = floor;
            _patternStatistics = default;
            _patternWarned = false;
        }

        _patternLastRaised = t;
        _patternStatistics.Add(window);
        if (_patternWarned
            || t - _patternStart < _options.WarningSustainSeconds - TimeTolerance
            || t < _warningAllowedFrom - TimeTolerance)
        {
            return;
        }

        _patternWarned = true;
        _warningAllowedFrom = t + _options.WarningCooldownSeconds;
        double? peak = _patternStatistics.Peak;
        double? mean = _patternStatistics.MeanEnvelope;
        _sink.OnEvent(new CrampEvent
        {
            Type = CrampEventKind.CrampWarning,
            Id = EventId("warning", _patternStart),
            Device = Device,
            Site = Site,
            OnsetSeconds = RoundSeconds(_patternStart),
            ConfirmedSeconds = RoundSeconds(t),
            DurationSeconds = RoundSeconds(t - _patternStart),
            PeakMicrovolts = Round(peak, 2),
            MeanMicrovolts = Round(mean, 2),
            RestFloorMicrovolts = Round(_patternFloor, 2),
            PeakTimesRestFloor = Round(peak / _patternFloor, 2),
            MeanTimesRestFloor = Round(mean / _patternFloor, 2),
            PeakPercentOfMax = PercentOfMax(peak),
            MeanPercentOfMax = PercentOfMax(mean),
            MeanFrequencyHz = Round(_patternStatistics.MeanOfMeanFrequency, 1),
            MedianFrequencyHz = Round(_patternStatistics.MeanOfMedianFrequency, 1),
            SkinTemperatureCelsius = Round(_patternStatistics.MeanTemperature, 2),
            ModelVersion = _modelVersion,
        });
    }

    /// <summary>
    /// Raised tension that never rose abruptly enough to activate the site (a prodrome rises over tens of seconds),
    /// without movement: told from a cramp by its dynamics, not by how high it is.
    /// </summary>
    private bool IsRaised(in WindowAssessment window, double floor) =>
        floor > 0 && !window.HasMotionContext && !window.IsActive && window.EnvelopeMicrovolts / floor >= _options.WarningMinRatio;

    private CrampEvent BuildCrampEvent(CrampEventKind kind, in EventStatistics statistics, double? endSeconds, CrampEndReason? endReason)
    {
        double? floor = _floorAtOnset > 0 ? _floorAtOnset : null;
        double? peak = statistics.Peak;
        double? mean = statistics.MeanEnvelope;
        double onset = RoundSeconds(_onset);
        double? end = endSeconds is { } e ? RoundSeconds(e) : null;
        double confirmed = RoundSeconds(_confirmed);
        return new CrampEvent
        {
            Type = kind,
            Id = EventId("cramp", _onset),
            Device = Device,
            Site = Site,
            OnsetSeconds = onset,
            ConfirmedSeconds = confirmed,
            EndSeconds = end,
            DurationSeconds = RoundSeconds((end ?? confirmed) - onset),
            PeakMicrovolts = Round(peak, 2),
            MeanMicrovolts = Round(mean, 2),
            RestFloorMicrovolts = Round(floor, 2),
            PeakTimesRestFloor = Round(peak / floor, 2),
            MeanTimesRestFloor = Round(mean / floor, 2),
            PeakPercentOfMax = PercentOfMax(peak),
            MeanPercentOfMax = PercentOfMax(mean),
            MeanFrequencyHz = Round(statistics.MeanOfMeanFrequency, 1),
            MedianFrequencyHz = Round(statistics.MeanOfMedianFrequency, 1),
            SkinTemperatureCelsius = Round(statistics.MeanTemperature, 2),
            Confidence = Round(statistics.MeanCrampProbability, 3),
            ModelVersion = _modelVersion,
            EndReason = endReason,
        };
    }

    private double? PercentOfMax(double? microvolts) =>
        _calibration?.MaxVoluntaryMicrovolts is { } max ? Round(100.0 * microvolts / max, 1) : null;

    private string EventId(string kind, double onsetSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{Device}:{Site}:{kind}:{(long)Math.Round(onsetSeconds * 1000.0, MidpointRounding.AwayFromZero)}");

    private static double RoundSeconds(double seconds) => Math.Round(seconds, 3, MidpointRounding.AwayFromZero);

    private static double? Round(double? value, int digits) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null;

    private void ClearEvent()
    {
        _state = CrampTrackerState.Rest;
        _onset = double.NaN;
        _intent = IntentEvidence.None;
        _confirmed = double.NaN;
        _habitConfirmAfter = double.NaN;
        _floorAtOnset = 0;
        _quietStart = double.NaN;
        _stretchStart = double.NaN;
        _dipStart = double.NaN;
        _stretchFollowsDip = false;
        _committed = default;
        _pending = default;
    }

    private void RememberContext(double t, IntentEvidence intent)
    {
        _contextTimes[_contextPosition] = t;
        _contextFlags[_contextPosition] = intent;
        _contextPosition = _contextPosition + 1 == ContextHistory ? 0 : _contextPosition + 1;
        _contextCount = Math.Min(_contextCount + 1, ContextHistory);
    }

    /// <summary>The evidence of intent of the remembered windows that ended between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private IntentEvidence ContextBetween(double from, double to)
    {
        var evidence = IntentEvidence.None;
        for (int k = 1; k <= _contextCount; k++)
        {
            int i = _contextPosition - k;
            if (i < 0)
            {
                i += ContextHistory;
            }

            double t = _contextTimes[i];
            if (t < from - TimeTolerance)
            {
                break;
            }

            if (t <= to + TimeTolerance)
            {
                evidence |= _contextFlags[i];
            }
        }

        return evidence;
    }

    private void TrackOpening(in WindowAssessment window)
    {
        if (!_openingOpen)
        {
            return;
        }

        if (window.IsActive || window.Faults != SignalQuality.None)
        {
            _openingOpen = false;
            return;
        }

        if (window.EndSeconds <= window.OpeningStartSeconds + _options.ContextAfterOnsetSeconds + TimeTolerance || _openingStatistics.Count == 0)
        {
            _openingIntent |= window.Intent;
        }

        _openingStatistics.Add(window);
    }

    private void ResetPattern()
    {
        _patternStart = double.NaN;
        _patternLastRaised = double.NaN;
        _patternFloor = 0;
        _patternWarned = false;
        _patternStatistics = default;
    }
}
