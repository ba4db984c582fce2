using CrampSense.Coaching;

namespace CrampSense.Wearable;

/// <summary>
/// Tells the coach whether the wearer is exercising, from the detector's per-window motion context (a posture
/// change, motion or gait rhythm on the accelerometer within the last 5 s): the coach's hydration prompts during
/// and after exercise need it. Exercise is sustained movement, not a turn in bed: the fraction of moving windows,
/// smoothed over <see cref="SmoothingSeconds"/>, must reach <see cref="EnterFraction"/>; it ends when the fraction
/// falls to <see cref="ExitFraction"/> (hysteresis, so a standing pause at a traffic light does not end a run).
/// </summary>
/// <remarks>No allocation per window; one instance per detection thread, not thread-safe.</remarks>
public sealed class ActivityEstimator
{
    /// <summary>Time constant of the moving-window fraction. Default 60 s.</summary>
    public const double SmoothingSeconds = 60;

    /// <summary>Smoothed fraction of moving windows at which exercise begins.</summary>
    public const double EnterFraction = 0.6;

    /// <summary>Smoothed fraction of moving windows at which exercise ends.</summary>
    public const double ExitFraction = 0.2;

    /// <summary>The coach wants the context periodically too (skin temperature for the hot-exercise interval).</summary>
    public const double ReportPeriodSeconds = 60;

    private double _fraction;
    private double _lastSeconds = double.NaN;
    private double _nextReport = ReportPeriodSeconds;

    /// <summary>The activity after the last window.</summary>
    public ActivityKind Activity { get; private set; } = ActivityKind.Rest;

    /// <summary>Smoothed fraction of windows with motion context (0–1).</summary>
    public double MovingFraction => _fraction;

    /// <summary>
    /// Takes one window step. Returns true, with the context to give the coach, when the activity changed or a
    /// periodic report is due.
    /// </summary>
    /// <param name="seconds">Session time of the window's end; steps that do not advance are ignored.</param>
    /// <param name="moving">Whether any site's window had motion context.</param>
    /// <param name="skinTemperatureCelsius">The latest skin temperature, if any.</param>
    /// <param name="context">The context for <see cref="CrampCoach.OnActivity"/>.</param>
    public bool Update(double seconds, bool moving, double? skinTemperatureCelsius, out ActivityContext context)
    {
        context = default;
        if (!double.IsFinite(seconds) || (!double.IsNaN(_lastSeconds) && seconds <= _lastSeconds))
        {
            return false;
        }

        double dt = double.IsNaN(_lastSeconds) ? 0 : seconds - _lastSeconds;
        _lastSeconds = seconds;

        // First-order smoothing with the step's own length, so irregular hops (a paused source) weigh right.
        double alpha = 1 - Math.Exp(-dt / SmoothingSeconds);
        _fraction += ((moving ? 1.0 : 0.0) - _fraction) * alpha;

        var next = Activity switch
        {
            ActivityKind.Exercise when _fraction <= ExitFraction => ActivityKind.Rest,
            not ActivityKind.Exercise when _fraction >= EnterFraction => ActivityKind.Exercise,
            _ => Activity,
        };

        bool changed = next != Activity;
        Activity = next;
        if (!changed && seconds < _nextReport)
        {
            return false;
        }

        _nextReport = seconds + ReportPeriodSeconds;
        context = new ActivityContext(Activity, skinTemperatureCelsius);
        return true;
    }
}
