using System.Runtime.CompilerServices;
using CrampSense.Signals.Dsp;

namespace CrampSense.Signals.Features;

/// <summary>
/// Causal activity and onset detector of one site, independent of any model: a double threshold with hysteresis over
/// the robust rest floor (in the manner of Bonato, D'Alessio &amp; Knaflitz, IEEE TBME 1998, and the AASM/WASM leg-movement
/// rules: onset at a rise over resting EMG, end after a stretch at rest), evaluated every hop on the window's envelope
/// mean, with the onset located on a fine (≈ 1 ms) power trace kept for the last seconds.
/// </summary>
/// <remarks>
/// <para>
/// <b>Activation.</b> A quiet site becomes active when its envelope reaches <see cref="ActivateRatio"/> × the floor
/// and <see cref="JumpRatio"/> × the lowest envelope of 1–<see cref="RiseLookbackSeconds"/> s earlier. The second
/// condition is what tells a cramp's onset (a ramp of ≤ 1 s, or progressive recruitment over a few seconds, to a
/// plateau) from a prodrome (tens of seconds of slow rise, Chaney &amp; Sherman pilot: sEMG rising 41 ± 11 s before the
/// cramp by +100–500 %): such a slow rise does not double within four seconds, however high it climbs.
/// The level it rose from is the activation's reference; it stays active while the envelope is at least
/// <see cref="StayRatio"/> × that reference (or × the floor, if the floor has since risen above it), and until it lets go:
/// below a tenth of its plateau and below the activation level for half a second (then a new activation needs a new
/// jump). It also ends at once when its envelope <b>falls</b> below <see cref="FallFraction"/> of its held plateau (the
/// highest <see cref="RiseLevelSeconds"/> mean) and below the activation level: a voluntary hold let go to a residual tone
/// at about twice the floor, above the stay level of an activation from rest, was held active into the cramp minimum
/// (motor-unit 94000 <c>short-contractions-94009</c>, a 3.9-s hold). After a fall only a trough shorter than
/// <see cref="BurstRhythmDetector.MinimumReleaseSeconds"/> rejoins, back above the fall level by the hysteresis of
/// activation over stay (<see cref="ActivateRatio"/> / <see cref="StayRatio"/>), and for <see cref="RiseLookbackSeconds"/>
/// a new rise is judged from the residual, not from the rest before the hold. After a quiet stretch shorter than <see cref="RejoinSeconds"/> the site
/// becomes active again at the stay level, without a new jump, so the fluctuation of a sustained contraction does
/// not need to ramp again.
/// </para>
/// <para>
/// <b>Held activation.</b> A cramp that recruits over tens of seconds out of a prodrome never doubles within
/// <see cref="RiseLookbackSeconds"/>, and the floor, which learns from windows below the activation level, follows its
/// climb (stochastic and motor-unit 94000 <c>night-cramp-94001</c>: 7.5 → 38 µV while the envelope climbed to 80 µV),
/// so the jump rule never sees it. A quiet site whose envelope, net of the hum the canceller leaves, has been held at
/// <see cref="HeldRatio"/> × the lowest floor of the last minute (<see cref="RestFloorTracker.LowestFloor"/>, the rest
/// before the climb) for <see cref="HeldSeconds"/> (every <see cref="RiseLevelSeconds"/> mean), its lowest window at
/// least its highest / <see cref="JumpRatio"/>,
/// becomes active with its onset at the end of the newest half-second below half that plateau, up to
/// <see cref="HeldLookbackSeconds"/> back (none: not active). The activation's reference is that lowest floor, and it is
/// judged against it, not against the floor that followed the climb.
/// </para>
/// <para>
/// <b>Onset.</b> At activation the onset is the last time the fine power trace was below (1.5 × reference)² within
/// <see cref="MaxBackdateSeconds"/>. After <see cref="RefineAfterSeconds"/> of activity, when the plateau is known,
/// it is refined: the amplitude above rest, √(p − p_rest), is fitted by least squares along the rising edge next to
/// its foot (from one rest RMS or 15 % of the plateau up to 60 %) and extrapolated to zero, minus the trace's delay (half
/// the power window plus the filters' <see cref="PowerDelaySeconds"/>). A ramp of any length up to 1 s then gives the
/// time the muscle started to rise, not the time it crossed a threshold, whatever the shape of its rise. Far above rest
/// (15 % of the plateau above one rest RMS) the line may not leave rest before the trace does.
/// </para>
/// <para>Not thread-safe. Nothing is allocated after construction.</para>
/// </remarks>
public sealed class MuscleActivityDetector
{
    /// <summary>Envelope over the floor at which a quiet site can become active.</summary>
    public const double ActivateRatio = 2.5;

    /// <summary>The envelope must also be this many times the lowest envelope of 1–<see cref="RiseLookbackSeconds"/> s earlier, and the lowest <see cref="RiseLevelSeconds"/> mean there (a rise, not a drift or a fluctuation).</summary>
    public const double JumpRatio = 2.0;

    /// <summary>How far back the level a rise started from is looked for, s.</summary>
    public const double RiseLookbackSeconds = 4.0;

    /// <summary>Length of the earlier level the rise is judged against, s (see <see cref="JumpRatio"/>).</summary>
    public const double RiseLevelSeconds = 0.5;

    /// <summary>An active site stays active while its envelope is at least this many times the activation's reference.</summary>
    public const double StayRatio = 1.6;

    /// <summary>
    /// An active site whose envelope falls below this fraction of the activation's held plateau (its highest
    /// <see cref="RiseLevelSeconds"/> mean) and below the activation level has let go of it (see <see cref="OnHop"/>).
    /// </summary>
    public const double FallFraction = 0.3;

    /// <summary>A site quiet for less than this becomes active again at the stay level, without a new jump, s.</summary>
    public const double RejoinSeconds = 1.0;

    /// <summary>How far back of the activation the onset may lie, s (the rise lookback: progressive recruitment can take seconds).</summary>
    public const double MaxBackdateSeconds = RiseLookbackSeconds;

    /// <summary>After this much activity the plateau is known and the onset is refined, s.</summary>
    public const double RefineAfterSeconds = 3.0;

    /// <summary>
    /// A quiet site whose envelope has been held at this many times the lowest floor of the last minute
    /// (<see cref="RestFloorTracker.LowestFloor"/>) for <see cref="HeldSeconds"/> becomes active without a jump (a held
    /// activation, see remarks). Above the largest rise of a prodrome: Chaney &amp; Sherman's nocturnal calf sEMG rose by
    /// +100–500 % (at most 6× its baseline) in the 41 s before the cramp.
    /// </summary>
    public const double HeldRatio = 7.0;

    /// <summary>How long the level must have been held for a held activation, s: as long as the plateau takes to be known (<see cref="RefineAfterSeconds"/>).</summary>
    public const double HeldSeconds = RefineAfterSeconds;

    /// <summary>
    /// How far back the onset of a held activation is looked for, s: the 41 ± 11-s prodrome (Chaney &amp; Sherman) runs
    /// into the cramp, whose own climb, slower than the jump's <see cref="RiseLookbackSeconds"/>, lies within it.
    /// </summary>
    public const double HeldLookbackSeconds = 45.0;

    /// <summary>Length of the fine power trace's moving window, s (its delay, half of it, is taken off the onset).</summary>
    public const double PowerWindowSeconds = 0.03;

    private const double TraceSeconds = 9.0;

    // The rising edge (RefineOnset), as fractions of the plateau's amplitude above rest: found where it first reaches
    // EdgeHighFraction, walked down to its foot (EdgeFootFraction, or one rest RMS), fitted up to EdgeFitTopFraction.
    private const double EdgeHighFraction = 0.6;
    private const double EdgeFootFraction = 0.15;
    private const double EdgeFitTopFraction = 0.6;

    // The rising edge's foot: the amplitude stayed below the low level this long.
    private const double FootSeconds = 0.05;

    // Mean square over mean rectified value squared of Gaussian noise (π/2): the floor is a mean rectified envelope,
    // the trace a mean square.
    private const double GaussianPowerPerEnvelopeSquared = Math.PI / 2;

    private readonly double _sampleRateHz;
    private readonly int _decimation;
    private readonly double _traceStepSeconds;
    // The fine power trace, kept as the power window's running sums of squares: the mean square (as the float RMS
    // squared) is taken only where the trace is read (TraceAt), which at rest is never; per sample it cost a division
    // and a square root per site.
    private readonly double[] _trace;
    private readonly MovingRms _power;
    private readonly int _hopsForLookback;
    private readonly int _hopsFor1s;
    private readonly int _hopsForRiseLevel;
    private readonly int _hopsForHeld;
    private readonly int _hopsForHeldLookback;
    private readonly double[] _envelopeHistory;
    private readonly double _hopSeconds;

    // How late the fine power trace shows a change of the muscle's power: half its window plus the filters' delay.
    private readonly double _delaySeconds;

    private long _samples;

    // Samples until the next trace point: a countdown instead of _samples % _decimation, whose 64-bit division
    // was a measurable part of the per-sample cost (docs/signal-pipeline.md §6).
    private int _untilTracePoint;
    private int _tracePosition;
    private long _traceCount;
    private double _lastSampleSeconds;
    private double _firstSampleSeconds;

    private int _historyPosition;
    private int _historyCount;

    private bool _active;
    private double _onset;
    private double _reference;
    private double _activatedAt;
    private bool _refined;
    private double _quietSince;
    private double _lastBoundary;
    private bool _everActive;
    private bool _openingChecked;

    // The activation is a held one (see remarks): it is judged against its reference, the lowest floor before the
    // climb, not against the floor, which has followed the climb.
    private bool _held;

    // No held onset lies at or before this: the last fault, or the end of the last activation that lasted a second or more
    // (from its rise, rejoins included: _startedAt).
    private double _heldBoundary;
    private double _startedAt;

    // The lowest floor judged against since the floor's first FastFallSeconds (its start-up), +∞ before: a recording that
    // started inside activity never had a floor near the one it falls to.
    private double _lowestFloor;

    // The activation's highest window envelope, and since when the envelope has been released below it (NaN: not).
    private double _plateau;
    private double _releasedSince;

    // The activation's held plateau (its highest RiseLevelSeconds mean envelope), and when it last fell below its fall
    // level (FallLevel; NaN: it did not, or it has rejoined since).
    private double _heldPlateau;
    private double _fellSince;

    // When the last activation let go of its plateau (a fall or a release; NaN: none), and the lowest window envelope since.
    private double _letGoAt;
    private double _residualLow;

    /// <summary>Creates the detector of one site sampled at <paramref name="sampleRateHz"/>, evaluated every <paramref name="hopSeconds"/>.</summary>
    /// <param name="sampleRateHz">Sample rate of the filtered EMG.</param>
    /// <param name="hopSeconds">Time between two hops.</param>
    /// <param name="filterDelaySeconds">
    /// How late the filters before this detector pass on a change of the signal's power, s (<see cref="PowerDelaySeconds"/>
    /// of the channel filter); taken off every onset, like half the power window.
    /// </param>
    public MuscleActivityDetector(double sampleRateHz, double hopSeconds, double filterDelaySeconds = 0)
    {
        if (!(sampleRateHz > 0) || !double.IsFinite(sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "The sample rate must be a positive, finite number of hertz.");
        }

        if (!(hopSeconds > 0) || !double.IsFinite(hopSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(hopSeconds), hopSeconds, "The hop must be a positive number of seconds.");
        }

        if (!(filterDelaySeconds >= 0) || !double.IsFinite(filterDelaySeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(filterDelaySeconds), filterDelaySeconds, "The filter delay must be a non-negative, finite number of seconds.");
        }

        _sampleRateHz = sampleRateHz;
        _hopSeconds = hopSeconds;
        _delaySeconds = (PowerWindowSeconds / 2) + filterDelaySeconds;
        _decimation = Math.Max(1, (int)Math.Round(sampleRateHz / 1000.0));
        _traceStepSeconds = _decimation / sampleRateHz;
        _trace = new double[(int)Math.Ceiling(TraceSeconds / _traceStepSeconds)];
        _power = MovingRms.ForDuration(sampleRateHz, PowerWindowSeconds);
        _hopsForLookback = Math.Max(2, (int)Math.Round(RiseLookbackSeconds / hopSeconds));
        _hopsFor1s = Math.Max(1, (int)Math.Round(1.0 / hopSeconds));
        _hopsForRiseLevel = Math.Clamp((int)Math.Round(RiseLevelSeconds / hopSeconds), 1, Math.Max(1, _hopsForLookback - _hopsFor1s + 1));
        _hopsForHeld = Math.Max(2, (int)Math.Round(HeldSeconds / hopSeconds));
        _hopsForHeldLookback = Math.Max(_hopsForHeld + _hopsForRiseLevel, (int)Math.Round(HeldLookbackSeconds / hopSeconds));
        _envelopeHistory = new double[Math.Max(_hopsForLookback, _hopsForHeldLookback) + 1];
        Reset();
    }

    /// <summary>
    /// The delay with which <paramref name="filter"/> passes on a change in the power of a broadband input, s: the centroid
    /// of its impulse response's energy, Σ n h[n]² / Σ h[n]² (equal to the group delay averaged over the band with weight
    /// |H|²). For the default 20–450 Hz Butterworth band-pass this is 2.3 ms at 1 and 2 kHz and 4.9 ms at 500 Hz (the
    /// upper edge there is 225 Hz). Measured on a fresh filter of the same design, never on the one in use.
    /// </summary>
    /// <param name="filter">A filter in its initial state (it is run and then reset).</param>
    /// <param name="sampleRateHz">Its sample rate.</param>
    public static double PowerDelaySeconds(IStreamingFilter filter, double sampleRateHz)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // A leading zero: filters that prime themselves on the first sample (the DC blocker) would take the impulse for an offset.
        filter.Process(0f);
        double energy = 0, moment = 0;
        int length = (int)Math.Ceiling(2 * sampleRateHz);
        for (int n = 0; n < length; n++)
        {
            double h = filter.Process(n == 0 ? 1f : 0f);
            energy += h * h;
            moment += n * h * h;
        }

        filter.Reset();
        return energy > 0 ? moment / energy / sampleRateHz : 0;
    }

    /// <summary>Whether the site is active after the last hop.</summary>
    public bool IsActive => _active;

    /// <summary>Takes one filtered EMG sample (mV) at <paramref name="timeSeconds"/>.</summary>
    [MethodImpl(HotPath.Compiled)]
    public void OnSample(double filtered, double timeSeconds)
    {
        double sumOfSquares = _power.Add(double.IsFinite(filtered) ? (float)filtered : 0f);

        if (_samples == 0)
        {
            _firstSampleSeconds = timeSeconds;
        }

        _samples++;
        _lastSampleSeconds = timeSeconds;
        if (--_untilTracePoint == 0)
        {
            _untilTracePoint = _decimation;
            _trace[_tracePosition] = sumOfSquares;
            _tracePosition = _tracePosition + 1 == _trace.Length ? 0 : _tracePosition + 1;
            _traceCount++;
        }
    }

    /// <summary>
    /// Evaluates one hop ending at <paramref name="timeSeconds"/>: <paramref name="envelope"/> is the window's envelope
    /// mean and <paramref name="floor"/> the rest floor before this window (same unit, mV; NaN when unknown);
    /// <paramref name="faulty"/> when the window has a quality flag (a faulty window is never active).
    /// <paramref name="floorFellFrom"/> is the floor tracker's <see cref="RestFloorTracker.FellFrom"/> of this hop.
    /// <paramref name="unlockedHumMillivolts"/> is the RMS of mains hum the canceller may have left in the signal
    /// because it is re-acquiring the line (<see cref="MainsInterferenceCanceller.IsReacquiring"/>; 0 otherwise).
    /// <paramref name="undetectedHumMillivolts"/> is the RMS of a mains line in the envelope that the canceller has measured
    /// but not (yet) removed (<see cref="MainsInterferenceCanceller.UndetectedHumRms"/>); only the opening rule reads it.
    /// <paramref name="removedHumMillivolts"/> is the RMS of hum the canceller removes now (<see cref="MainsInterferenceCanceller.HumRms"/>)
    /// when it engaged while the floor held windows measured with that hum (0 otherwise); only the opening rule reads it.
    /// <paramref name="residualHumMillivolts"/> is the RMS of hum the canceller's removal leaves in the signal while it is
    /// locked (<see cref="MainsInterferenceCanceller.ResidualHumRms"/>: a line beating against a second one, or amplitude-modulated,
    /// or the model's error decaying after a contraction).
    /// <paramref name="lowestFloor"/> is the floor tracker's <see cref="RestFloorTracker.LowestFloor"/> (NaN: no held activation).
    /// </summary>
    /// <remarks>
    /// Staying, rejoining and (while there is such hum) activating need the recent power above their level after that hum's
    /// power is taken off: after a
    /// strong contraction the canceller has extrapolated the mains frequency for seconds and needs about a second to lock
    /// again, and the hum it leaves meanwhile must not hold the site active (it made 2.4–4.5-s contractions reach the 5-s
    /// cramp minimum). Activity above the stay level by more than the hum itself still stays, and a contraction weak
    /// enough not to hide the line never sets it. The residual hum of a locked canceller is taken off the same power for
    /// staying and rejoining, and off the window's envelope for activating (the 250-ms envelope, not the 50-ms power: the
    /// residual is known to ±P/N of a contraction's power per harmonic, and the short power's own spread at 500 Hz would
    /// add to it): a residual rising and falling at a beat of 0.2–1 Hz activated a resting site for tenths of a second every
    /// beat, and the dip tolerance joined those into 5 s and more (docs/detector.md, perturbation audit, cause 6).
    /// </remarks>
    [MethodImpl(HotPath.Compiled)]
    public SiteActivity OnHop(double timeSeconds, double envelope, double floor, bool faulty, double floorFellFrom = double.NaN, double unlockedHumMillivolts = 0, double undetectedHumMillivolts = 0, double removedHumMillivolts = 0, double residualHumMillivolts = 0, double lowestFloor = double.NaN)
    {
        double humPower = unlockedHumMillivolts > 0 ? unlockedHumMillivolts * unlockedHumMillivolts : 0;
        double heldHumPower = Math.Max(humPower, residualHumMillivolts > 0 ? residualHumMillivolts * residualHumMillivolts : 0);
        double earlierLow = LowestEarlierEnvelope();
        double earlierLevel = LowestEarlierLevel();
        PushEnvelope(faulty ? double.NaN : envelope);

        double opening = double.NaN;
        if (!_openingChecked && double.IsFinite(floorFellFrom))
        {
            _openingChecked = true;
            // The floor before the fall may have been measured with hum the canceller engaged on since: the floor after it
            // carries none of that hum, so it is taken off the level before the fall only. Otherwise the canceller's
            // engagement reads as the end of activity the recording started inside (a cramp at 0 s in
            // short-contractions-91009 of the motor-unit 91000 set: 37 µV of 60-Hz hum, the floor 26 → 7.7 µV).
            double humBefore = Math.Max(undetectedHumMillivolts, removedHumMillivolts);
            // The level fallen from is the lowest floor since the start: a floor that rose from rest and fell back (a
            // prodrome's raised tension that never activated the site, learned by the floor) is no opening. Without it 9–10
            // of 24 prodromes alone gave a cramp from 0 s (CrampDetectorPropertyTests.Process_ProdromeAlone…).
            double fellFrom = Math.Min(floorFellFrom, _lowestFloor);
            if (!_everActive && floor > 0 && WithoutHum(fellFrom, humBefore) >= ActivateRatio * WithoutHum(floor, undetectedHumMillivolts))
            {
                // The floor restarted after FastFallSeconds of low windows: the activity ended about then.
                opening = Math.Max(_firstSampleSeconds, timeSeconds - RestFloorTracker.FastFallSeconds - _hopSeconds);
            }
        }

        if (!faulty && floor > 0 && timeSeconds - _firstSampleSeconds >= RestFloorTracker.FastFallSeconds)
        {
            _lowestFloor = Math.Min(_lowestFloor, floor);
        }

        if (faulty || !(floor > 0) || !double.IsFinite(envelope))
        {
            // Nothing before a fault can be an onset of what follows it, and nothing rejoins across it.
            _active = false;
            _lastBoundary = timeSeconds;
            _heldBoundary = timeSeconds;
            _quietSince = double.NegativeInfinity;
            return Report(opening);
        }

        if (_active)
        {
            // The floor may have caught up with a level the activation started from (it learns from windows below the
            // activation level), so the stay level follows it too. Not for a held activation: the floor followed the climb
            // it rose by, and the contraction is judged against the rest before the climb.
            double judged = _held ? Math.Min(floor, _reference) : floor;
            double stay = StayRatio * Math.Max(_reference, judged);
            bool released = Released(timeSeconds, envelope, judged);
            _heldPlateau = Math.Max(_heldPlateau, RecentLevel());
            double fallLevel = FallLevel(judged);
            bool fell = fallLevel > stay && envelope < fallLevel;

            // Above the stay level only by the hum the canceller leaves: the contraction has let go of its plateau, as in a
            // fall (a new activation needs a new jump, only a short trough rejoins). Ended as a plain quiet stretch, the
            // residual tone after a 4.3-s hold (2.15 × floor, above the stay level) rejoined at once and made a cramp
            // (CrampDetectorPropertyTests, hold then residual tone, with hum).
            double stayPower = GaussianPowerPerEnvelopeSquared * stay * stay;
            double recentPower = RecentPower();
            fell |= heldHumPower > 0 && recentPower >= stayPower && recentPower - heldHumPower < stayPower;
            if (envelope < stay || released || fell || recentPower - heldHumPower < stayPower)
            {
                _active = false;

                // After a release the contraction is over: what follows needs a new jump, not a rejoin at the stay level.
                _quietSince = released ? double.NegativeInfinity : timeSeconds - _hopSeconds;
                _fellSince = fell && !released ? timeSeconds - _hopSeconds : double.NaN;
                _letGoAt = fell || released ? timeSeconds - _hopSeconds : double.NaN;
                _residualLow = envelope;
                _lastBoundary = timeSeconds - _hopSeconds;

                // A jump on a climb's flicker, quiet again within a second, is part of the climb a held activation dates
                // from (a 500-Hz climb of MuscleActivityDetectorTests: 0.3-s jumps at 7 × the floor, then no foot found
                // after them for the rest of the plateau); the end of a longer activation is a boundary.
                if (_lastBoundary - _startedAt >= RejoinSeconds - 1e-9)
                {
                    _heldBoundary = _lastBoundary;
                }
            }
            else if (!_refined && timeSeconds - _activatedAt >= RefineAfterSeconds)
            {
                _refined = true;
                _onset = RefineOnset(_onset, _reference, timeSeconds);
            }

            return Report(opening);
        }

        bool rejoin = timeSeconds - _quietSince < RejoinSeconds + 1e-9 && _reference > 0;
        double baseline = Math.Max(floor, double.IsFinite(earlierLow) ? earlierLow : floor);
        if (timeSeconds - _letGoAt < RiseLookbackSeconds)
        {
            // After a contraction let go of its plateau the level a new rise starts from is the residual it let go to, not
            // the rest before that contraction (still in the lookback): a residual tone flickering at 2.4 × floor otherwise
            // "jumped" over that rest and held a new activation at its stay level.
            baseline = Math.Max(baseline, _residualLow);
            _residualLow = Math.Min(_residualLow, envelope);
        }

        // The rise is judged against the lowest half-second level, not the lowest single window: on a raised, noisy level
        // (a prodrome's slow rise, Chaney & Sherman) the lowest of 60 overlapping windows lies far below the level and
        // random fluctuation alone "doubled" it. From rest this changes nothing: the floor is the larger.
        bool rises = envelope >= ActivateRatio * floor && envelope >= JumpRatio * Math.Max(baseline, double.IsFinite(earlierLevel) ? earlierLevel : baseline)
            && (humPower == 0 || RecentPower() - humPower >= GaussianPowerPerEnvelopeSquared * ActivateRatio * ActivateRatio * floor * floor)
            && (residualHumMillivolts == 0 || NetOfHum(envelope, residualHumMillivolts) >= ActivateRatio * floor);
        double rejoinLevel = StayRatio * Math.Max(_reference, floor);
        if (!double.IsNaN(_fellSince))
        {
            // After a fall from the held plateau only a trough shorter than a release rejoins, and only when the envelope
            // came back above the fall level by the hysteresis of activation over stay: a residual tone flickering about
            // the fall level is not the contraction coming back.
            rejoin &= timeSeconds - _fellSince < BurstRhythmDetector.MinimumReleaseSeconds - 1e-9;
            rejoinLevel = Math.Max(rejoinLevel, FallLevel(floor) * ActivateRatio / StayRatio);
        }

        double heldOnset = double.NaN;
        bool rejoins = rejoin && envelope >= rejoinLevel && RecentPower() - heldHumPower >= GaussianPowerPerEnvelopeSquared * rejoinLevel * rejoinLevel;
        if (!rejoins && !rises && lowestFloor > 0 && envelope >= HeldRatio * lowestFloor)
        {
            heldOnset = HeldOnset(timeSeconds, lowestFloor, heldHumPower);
        }

        if (rejoins)
        {
            // The same contraction going on: its plateau is kept.
            _releasedSince = double.NaN;
            _fellSince = double.NaN;
            _letGoAt = double.NaN;
            _active = true;
            _activatedAt = timeSeconds;
            _refined = false;
            _onset = LocateOnset(_reference, timeSeconds);
        }
        else if (rises || double.IsFinite(heldOnset))
        {
            _plateau = envelope;
            _releasedSince = double.NaN;
            _heldPlateau = 0;
            _fellSince = double.NaN;
            _letGoAt = double.NaN;
            _active = true;
            _everActive = true;
            _held = !rises;
            _reference = rises ? baseline : lowestFloor;
            _activatedAt = timeSeconds;
            _startedAt = timeSeconds;

            // A held activation's onset is the foot of a climb of seconds, not of a sub-second edge: nothing to refine.
            _refined = !rises;
            _onset = rises ? LocateOnset(baseline, timeSeconds) : heldOnset;
        }

        return Report(opening);
    }

    /// <summary>
    /// Whether the active contraction has let go: its envelope has stayed below <see cref="BurstRhythmDetector.ReleaseFraction"/>
    /// of the activation's plateau <b>and</b> below the activation level (<see cref="ActivateRatio"/> × floor) for
    /// <see cref="BurstRhythmDetector.MinimumReleaseSeconds"/>. The stay level is tied to the level the activation rose
    /// from, so a release to a raised tone a few µV above rest (after a burst, between repetitions) kept the activation
    /// alive for seconds (models/README.md, "Real recordings"). Relative to the plateau alone it would end a loud cramp
    /// whose envelope dips by an order of magnitude for a moment while still far above the floor; below the activation
    /// level alone, a weak one that fluctuates at 2–3 × the floor. Both together are a return to about rest from a clearly larger contraction.
    /// </summary>
    private bool Released(double timeSeconds, double envelope, double floor)
    {
        _plateau = Math.Max(_plateau, envelope);
        if (!(envelope < BurstRhythmDetector.ReleaseFraction * _plateau && envelope < ActivateRatio * floor))
        {
            _releasedSince = double.NaN;
            return false;
        }

        if (double.IsNaN(_releasedSince))
        {
            _releasedSince = timeSeconds - _hopSeconds;
        }

        return timeSeconds - _releasedSince >= BurstRhythmDetector.MinimumReleaseSeconds - 1e-9;
    }

    /// <summary>
    /// The level below which an activation has fallen from its held plateau: <see cref="FallFraction"/> of it, and at most
    /// the activation level (<see cref="ActivateRatio"/> × floor).
    /// </summary>
    private double FallLevel(double floor) => Math.Min(FallFraction * _heldPlateau, ActivateRatio * floor);

    /// <summary>
    /// The onset of a held activation (see remarks), NaN when there is none: the newest <see cref="HeldSeconds"/> of windows,
    /// net of <paramref name="humPower"/>, are held at <see cref="HeldRatio"/> × <paramref name="lowestFloor"/> (every
    /// <see cref="RiseLevelSeconds"/> mean among them at least that) and their lowest window is at least their highest /
    /// <see cref="JumpRatio"/> (a plateau, not a swing through the level); the onset
    /// is the end of the newest <see cref="RiseLevelSeconds"/> of windows whose mean is below half the plateau's mean, no
    /// further back than <see cref="HeldLookbackSeconds"/>, a faulty window or the end of the last activation that lasted
    /// <see cref="RejoinSeconds"/> or more.
    /// </summary>
    private double HeldOnset(double timeSeconds, double lowestFloor, double humPower)
    {
        if (_historyCount < _hopsForHeld + _hopsForRiseLevel)
        {
            return double.NaN;
        }

        // The plateau's lowest half-second mean (its level: the windows of a cramp's irregular discharge swing by a
        // fifth about it) and its lowest and highest window (its flatness).
        double hum = Math.Sqrt(humPower);
        int run = _hopsForRiseLevel;
        double lowest = double.PositiveInfinity, highest = 0, sum = 0, runSum = 0, lowestRunSum = double.PositiveInfinity;
        for (int back = 1; back <= _hopsForHeld; back++)
        {
            double value = EnvelopeBack(back);
            if (!double.IsFinite(value))
            {
                return double.NaN;
            }

            lowest = Math.Min(lowest, value);
            highest = Math.Max(highest, value);
            sum += value;
            runSum += value;
            if (back > run)
            {
                runSum -= EnvelopeBack(back - run);
            }

            if (back >= run)
            {
                lowestRunSum = Math.Min(lowestRunSum, runSum);
            }
        }

        // Net of hum is monotone in the level, so the net lowest and highest are those of the windows.
        if (NetOfHum(lowestRunSum / run, hum) < HeldRatio * lowestFloor || NetOfHum(lowest, hum) < NetOfHum(highest, hum) / JumpRatio)
        {
            return double.NaN;
        }

        // The newest half-second below half the plateau: its running sum, from the windows just before the plateau back.
        double halfSum = 0.5 * NetOfHum(sum / _hopsForHeld, hum) * run;
        int furthest = Math.Min(_historyCount, _hopsForHeldLookback);
        runSum = 0;
        for (int back = _hopsForHeld + 1; back <= furthest; back++)
        {
            // A faulty window: nothing before it is the foot of what follows it.
            double value = EnvelopeBack(back);
            if (!double.IsFinite(value))
            {
                return double.NaN;
            }

            runSum += value;
            if (back - _hopsForHeld > run)
            {
                runSum -= EnvelopeBack(back - run);
            }

            // Nothing at or before the last boundary (the end of an activation of a second or more, a fault) is the foot of this climb.
            if (timeSeconds - ((back - 1) * _hopSeconds) <= _heldBoundary + 1e-9)
            {
                return double.NaN;
            }

            // The run's newest window ended (back - run) hops before this one.
            double end = timeSeconds - ((back - run) * _hopSeconds);
            if (back - _hopsForHeld >= run && NetOfHum(runSum / run, hum) * run < halfSum)
            {
                return end;
            }
        }

        return double.NaN;
    }

    /// <summary>Mean envelope of the newest <see cref="RiseLevelSeconds"/> of windows, this hop's included (0 until there are that many).</summary>
    private double RecentLevel()
    {
        if (_historyCount < _hopsForRiseLevel)
        {
            return 0;
        }

        double sum = 0;
        for (int back = 1; back <= _hopsForRiseLevel; back++)
        {
            sum += EnvelopeBack(back);
        }

        return double.IsFinite(sum) ? sum / _hopsForRiseLevel : 0;
    }

    /// <summary>
    /// An envelope level with the power of <paramref name="humMillivolts"/> (RMS) of hum taken off, as the muscle's own
    /// level: a weak opening under hum the canceller has not engaged on yet (it is hidden under the contraction and needs
    /// its 2-s window after it) fell from 26 to 11 µV where its muscle fell from 25 to 6 µV (4.7× floor under 16 µV of
    /// hum at 10 bit). The hum takes off at most three quarters of the level's power: its estimate cannot be finer.
    /// </summary>
    private static double WithoutHum(double envelopeLevel, double humMillivolts) =>
        Math.Max(NetOfHum(envelopeLevel, humMillivolts), envelopeLevel / 2);

    /// <summary>An envelope level with the power of <paramref name="humMillivolts"/> (RMS) of hum taken off (0 if that is all of it).</summary>
    private static double NetOfHum(double envelopeLevel, double humMillivolts)
    {
        double humEnvelopeSquared = humMillivolts * humMillivolts / GaussianPowerPerEnvelopeSquared;
        return Math.Sqrt(Math.Max(0, (envelopeLevel * envelopeLevel) - humEnvelopeSquared));
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _power.Reset();
        Array.Clear(_trace);
        Array.Fill(_envelopeHistory, double.NaN);
        _samples = 0;
        _untilTracePoint = _decimation;
        _tracePosition = 0;
        _traceCount = 0;
        _historyPosition = 0;
        _historyCount = 0;
        _active = false;
        _onset = double.NaN;
        _reference = 0;
        _activatedAt = double.NaN;
        _refined = false;
        _quietSince = double.NegativeInfinity;
        _lastBoundary = double.NegativeInfinity;
        _plateau = 0;
        _releasedSince = double.NaN;
        _heldPlateau = 0;
        _fellSince = double.NaN;
        _letGoAt = double.NaN;
        _residualLow = double.NaN;
        _everActive = false;
        _openingChecked = false;
        _held = false;
        _heldBoundary = double.NegativeInfinity;
        _startedAt = double.NaN;
        _lowestFloor = double.PositiveInfinity;
        _lastSampleSeconds = 0;
        _firstSampleSeconds = 0;
    }

    private SiteActivity Report(double opening) => new()
    {
        IsActive = _active,
        OnsetSeconds = _active ? _onset : double.NaN,
        ReferenceMillivolts = _reference,
        OpeningEndSeconds = opening,
        OpeningStartSeconds = _firstSampleSeconds,
    };

    private void PushEnvelope(double envelope)
    {
        _envelopeHistory[_historyPosition] = envelope;
        _historyPosition = _historyPosition + 1 == _envelopeHistory.Length ? 0 : _historyPosition + 1;
        _historyCount = Math.Min(_historyCount + 1, _envelopeHistory.Length);
    }

    /// <summary>The lowest envelope of the windows that ended 1 s to <see cref="RiseLookbackSeconds"/> before this one (NaN when there are none yet).</summary>
    [MethodImpl(HotPath.Compiled)]
    private double LowestEarlierEnvelope()
    {
        double lowest = double.NaN;
        int newest = _historyCount;
        for (int back = _hopsFor1s; back <= _hopsForLookback && back <= newest; back++)
        {
            int index = _historyPosition - back;
            if (index < 0)
            {
                index += _envelopeHistory.Length;
            }

            double value = _envelopeHistory[index];
            if (double.IsFinite(value) && !(value >= lowest))
            {
                lowest = value;
            }
        }

        return lowest;
    }

    /// <summary>
    /// The lowest mean envelope over <see cref="RiseLevelSeconds"/> of consecutive windows that all ended 1 s to
    /// <see cref="RiseLookbackSeconds"/> before this one (NaN when there is no such run without a faulty window).
    /// </summary>
    [MethodImpl(HotPath.Compiled)]
    private double LowestEarlierLevel()
    {
        int run = _hopsForRiseLevel;
        int newest = Math.Min(_historyCount, _hopsForLookback);
        if (newest - _hopsFor1s + 1 < run)
        {
            return double.NaN;
        }

        // The lowest running sum, divided once at the end: division by the run length is monotone, so the mean of the
        // lowest sum is the lowest mean (a division per window and hop was a visible part of the hop's cost).
        double lowestSum = double.NaN;
        double sum = 0;
        int finite = 0;
        for (int back = _hopsFor1s; back <= newest; back++)
        {
            double value = EnvelopeBack(back);
            if (double.IsFinite(value))
            {
                sum += value;
                finite++;
            }

            if (back - _hopsFor1s >= run)
            {
                double leaving = EnvelopeBack(back - run);
                if (double.IsFinite(leaving))
                {
                    sum -= leaving;
                    finite--;
                }
            }

            if (back - _hopsFor1s + 1 >= run && finite == run && !(sum >= lowestSum))
            {
                lowestSum = sum;
            }
        }

        return lowestSum / run;
    }

    [MethodImpl(HotPath.Compiled)]
    private double EnvelopeBack(int back)
    {
        int index = _historyPosition - back;
        if (index < 0)
        {
            index += _envelopeHistory.Length;
        }

        return _envelopeHistory[index];
    }

    /// <summary>
    /// Mean of the fine power trace over the last hop. The window's envelope mean lags the muscle by up to the window
    /// (250 ms): a contraction of 4.8 s would still look active 0.2 s after it stopped and reach the 5-s minimum. The
    /// trace shows the release within its 30-ms window, so an activation also ends when it falls.
    /// </summary>
    private double RecentPower()
    {
        int steps = Math.Max(1, Math.Min((int)Math.Round(_hopSeconds / _traceStepSeconds), (int)Math.Min(_traceCount, _trace.Length)));
        return TraceMean(steps);
    }

    /// <summary>Mean of the newest <paramref name="count"/> trace entries.</summary>
    private double TraceMean(int count)
    {
        double sum = 0;
        for (int back = 0; back < count; back++)
        {
            sum += TraceAt(back);
        }

        return sum / count;
    }

    /// <summary>Time of trace entry <paramref name="back"/> steps before the newest one.</summary>
    private double TraceTime(int back) => _lastSampleSeconds - (back * _traceStepSeconds);

    private float TraceAt(int back)
    {
        int index = _tracePosition - 1 - back;
        if (index < 0)
        {
            index += _trace.Length;
        }

        float rms = _power.RmsOf(_trace[index]);
        return rms * rms;
    }

    private int AvailableBack(double untilSeconds)
    {
        int available = (int)Math.Min(_traceCount, _trace.Length) - 1;
        int byTime = (int)Math.Floor((_lastSampleSeconds - untilSeconds) / _traceStepSeconds);
        return Math.Max(0, Math.Min(available, byTime));
    }

    private double LocateOnset(double reference, double nowSeconds)
    {
        double limit = Math.Max(nowSeconds - MaxBackdateSeconds, Math.Max(_lastBoundary, _firstSampleSeconds));
        float level = (float)(GaussianPowerPerEnvelopeSquared * (1.5 * reference) * (1.5 * reference));
        int maxBack = AvailableBack(limit);
        for (int back = 0; back <= maxBack; back++)
        {
            if (TraceAt(back) < level)
            {
                return Math.Max(limit, TraceTime(back) + _traceStepSeconds - _delaySeconds);
            }
        }

        return limit;
    }

    private double RefineOnset(double provisional, double reference, double nowSeconds)
    {
        double restPower = GaussianPowerPerEnvelopeSquared * reference * reference;

        // Plateau: the mean power of the last two seconds (the activation is at least RefineAfterSeconds old).
        int plateauBack = Math.Min(AvailableBack(nowSeconds - 2.0), AvailableBack(_activatedAt));
        if (plateauBack < 10)
        {
            return provisional;
        }

        double plateau = TraceMean(plateauBack + 1);
        if (!(plateau > 2 * restPower))
        {
            return provisional;
        }

        double amplitude = Math.Sqrt(plateau - restPower);
        double high = EdgeHighFraction * amplitude;
        // The foot must lie above what rest noise reaches on its own: the 30-ms power of band-limited rest noise
        // fluctuates by ±30–40 % (about 12–26 degrees of freedom), so an excess of half the rest RMS (1.25 × rest power)
        // is crossed by rest alone and, at 3× the floor, the walk ran back into the rest (onsets up to 0.5 s early).
        // One rest RMS (2 × rest power) is ≥ 2.4 σ of it. (A foot at 5 % with the fit stopping at 30 % suited the
        // simulators' concave rises better but dated the fixed CI set's 0.5–3-s rises 0.1–0.25 s early: docs/detector.md.)
        double low = Math.Max(EdgeFootFraction * amplitude, Math.Sqrt(restPower));
        double fitTop = Math.Min(high, Math.Max(EdgeFitTopFraction * amplitude, 2 * low));
        double earliest = Math.Max(Math.Max(provisional - 0.5, _activatedAt - MaxBackdateSeconds), Math.Max(_lastBoundary, _firstSampleSeconds));
        int startBack = AvailableBack(earliest);

        // The first time (from the earliest allowed) the amplitude reaches 60 % of the plateau.
        int highBack = -1;
        for (int back = startBack; back >= 0; back--)
        {
            if (Excess(TraceAt(back), restPower) >= high)
            {
                highBack = back;
                break;
            }
        }

        if (highBack < 0)
        {
            return provisional;
        }

        // Walk down the rising edge until the amplitude has stayed below the low level for a while (the fine trace
        // is noisy: one dip is not the foot of the edge), fitting a line to the points between the two levels (times
        // relative to the 60 % crossing, so the sums stay small).
        double origin = TraceTime(highBack);
        double st = 0, sa = 0, stt = 0, sta = 0;
        int n = 0;
        double lowestTime = origin;
        int lowestBack = highBack;
        int below = 0;
        int footSteps = Math.Max(1, (int)Math.Round(FootSeconds / _traceStepSeconds));
        for (int back = highBack; back <= startBack; back++)
        {
            double a = Excess(TraceAt(back), restPower);
            if (a < low)
            {
                if (++below >= footSteps)
                {
                    break;
                }

                continue;
            }

            below = 0;
            lowestBack = back;
            lowestTime = TraceTime(back);
            if (a > fitTop)
            {
                // Only the stretch next to the foot counts: a shoulder higher up that fell back under the fit's top now
                // and then flattened the line (a rise that paused at a third of the plateau was dated 0.17 s early).
                st = sa = stt = sta = 0;
                n = 0;
                continue;
            }

            double t = lowestTime - origin;
            st += t;
            sa += a;
            stt += t * t;
            sta += t * a;
            n++;
        }

        double onset;
        double denominator = (n * stt) - (st * st);
        if (n >= 4 && denominator > 1e-12)
        {
            double slope = ((n * sta) - (st * sa)) / denominator;
            double intercept = (sa - (slope * st)) / n;
            onset = slope > 0 ? origin - (intercept / slope) : lowestTime;
            onset = Math.Clamp(onset, lowestTime - 0.3, origin);

            // With the foot at 15 % of a plateau far above rest (15 % above one rest RMS: plateau > ~45 × rest power) the
            // walk stops short of the rest, and a concave rise's line (flatter above its steep foot) reached back into it
            // (onsets up to 0.3 s early). The line may not have left rest (risen above one rest RMS) before the trace did.
            if (low > Math.Sqrt(restPower))
            {
                double restEnd = RestEnd(lowestBack, startBack, restPower);
                if (double.IsFinite(restEnd))
                {
                    onset = Math.Max(onset, restEnd - (slope > 0 ? Math.Sqrt(restPower) / slope : 0));
                }
            }
        }
        else
        {
            onset = lowestTime;
        }

        // Never later than the provisional onset: that is the last time the amplitude was still below 1.5 × rest, so
        // the muscle had started by then. A slow, accelerating recruitment ramp (progressive recruitment over seconds)
        // makes the straight-line fit of its lower part land after it, which shortened a 5.4-s cramp below the minimum.
        return Math.Min(provisional, Math.Max(onset - _delaySeconds, Math.Max(earliest, _firstSampleSeconds)));
    }

    /// <summary>
    /// The end of rest before the rising edge: the newest trace time, from <paramref name="fromBack"/> back to
    /// <paramref name="startBack"/>, at which the amplitude above rest was below one rest RMS (NaN: none there).
    /// </summary>
    private double RestEnd(int fromBack, int startBack, double restPower)
    {
        for (int back = fromBack; back <= startBack; back++)
        {
            if (Excess(TraceAt(back), restPower) < Math.Sqrt(restPower))
            {
                return TraceTime(back);
            }
        }

        return double.NaN;
    }

    private static double Excess(float power, double restPower) => Math.Sqrt(Math.Max(0, power - restPower));
}
