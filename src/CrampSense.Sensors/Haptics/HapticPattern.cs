using System.Collections.ObjectModel;

namespace CrampSense.Sensors.Haptics;

/// <summary>
/// A named vibration pattern: alternating on/off durations, starting with "on". Priority decides what happens
/// when a pattern is requested while another plays: equal or higher priority replaces it, lower is dropped.
/// <see cref="Intensity"/> is the PWM duty cycle of the "on" steps when the motor is driven by PWM; on a plain
/// GPIO every "on" step is full power.
/// </summary>
public sealed class HapticPattern
{
    private readonly double _intensity = 1;

    public HapticPattern(string name, int priority, params TimeSpan[] onOffDurations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(onOffDurations);
        if (onOffDurations.Length == 0 || onOffDurations.Any(d => d <= TimeSpan.Zero))
        {
            throw new ArgumentException("A pattern needs at least one step and every step must be longer than zero.", nameof(onOffDurations));
        }

        Name = name;
        Priority = priority;
        Steps = new ReadOnlyCollection<TimeSpan>(onOffDurations.ToArray());
    }

    public string Name { get; }

    public int Priority { get; }

    /// <summary>
    /// Duty cycle (0–1] of the "on" steps under PWM. Coin ERM motors stall below a start voltage, so the named
    /// patterns stay at or above 0.7 of the supply; tune on the motor in hand.
    /// </summary>
    public double Intensity
    {
        get => _intensity;
        init
        {
            if (!double.IsFinite(value) || value <= 0 || value > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Intensity), value, "The intensity is a duty cycle in (0, 1].");
            }

            _intensity = value;
        }
    }

    /// <summary>On, off, on, … durations.</summary>
    public IReadOnlyList<TimeSpan> Steps { get; }

    /// <summary>Total length of the pattern.</summary>
    public TimeSpan Duration => Steps.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    /// <summary>Three long pulses: a cramp is detected now. Long enough to feel through a sock or during running.</summary>
    public static HapticPattern CrampAlert { get; } = new("cramp-alert", 3,
        Ms(400), Ms(200), Ms(400), Ms(200), Ms(400));

    /// <summary>Two short pulses: a pre-cramp pattern or a sensor fault needs attention.</summary>
    public static HapticPattern Warning { get; } = new("warning", 2, Ms(150), Ms(150), Ms(150)) { Intensity = 0.85 };

    /// <summary>One short tick: a prompt (e.g. "stretch now"), also the probe's buzz.</summary>
    public static HapticPattern Prompt { get; } = new("prompt", 1, Ms(100)) { Intensity = 0.7 };

    /// <summary>The named patterns by <see cref="Name"/>.</summary>
    public static IReadOnlyList<HapticPattern> Named { get; } = [CrampAlert, Warning, Prompt];

    public override string ToString() => Name;

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
