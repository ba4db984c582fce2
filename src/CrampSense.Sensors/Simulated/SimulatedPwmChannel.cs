using System.Device.Pwm;

namespace CrampSense.Sensors.Simulated;

/// <summary>
/// A PWM channel without hardware (for the simulated rig and tests): keeps frequency, duty cycle and running
/// state as the sysfs PWM driver would, and records every duty-cycle change with the time of its
/// <see cref="TimeProvider"/> (elapsed since construction).
/// </summary>
public sealed class SimulatedPwmChannel : PwmChannel
{
    private readonly TimeProvider _clock;
    private readonly long _startTicks;
    private readonly List<(TimeSpan At, double DutyCycle)> _changes = [];
    private readonly Lock _gate = new();
    private double _dutyCycle;

    public SimulatedPwmChannel(TimeProvider clock, int frequency = 20_000)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _startTicks = clock.GetTimestamp();
        Frequency = frequency;
    }

    public override int Frequency { get; set; }

    /// <summary>Fraction of the period the output is high, 0–1 (the range sysfs accepts, checked like the driver).</summary>
    public override double DutyCycle
    {
        get => _dutyCycle;
        set
        {
            if (!double.IsFinite(value) || value is < 0 or > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Value must be between 0.0 and 1.0.");
            }

            lock (_gate)
            {
                _dutyCycle = value;
                _changes.Add((_clock.GetElapsedTime(_startTicks), value));
            }
        }
    }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool Running { get; private set; }

    public bool IsDisposed { get; private set; }

    /// <summary>Every duty-cycle write so far, in order.</summary>
    public IReadOnlyList<(TimeSpan At, double DutyCycle)> Changes
    {
        get
        {
            lock (_gate)
            {
                return _changes.ToArray();
            }
        }
    }

    /// <summary>Forgets the recorded changes (e.g. the idle 0 written at construction of the motor).</summary>
    public void ClearChanges()
    {
        lock (_gate)
        {
            _changes.Clear();
        }
    }

    public override void Start()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Running = true;
    }

    public override void Stop() => Running = false;

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
