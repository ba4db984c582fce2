using System.Device.Gpio;
using System.Device.Pwm;

namespace CrampSense.Sensors.Haptics;

/// <summary>
/// A coin vibration motor switched by an NPN transistor (or logic-level MOSFET) on a GPIO pin, with a
/// flyback diode across the motor (see docs/hardware.md). Patterns play on timer callbacks of the injected
/// <see cref="TimeProvider"/>: <see cref="Play"/> writes the first level and returns at once, so the caller
/// (possibly the sampling thread) never waits for a pattern. Two drives: plain on/off on a GPIO pin, or, where
/// the Pi's hardware PWM is enabled (pwm-2chan overlay, GPIO18 = PWM0), a <see cref="PwmChannel"/> whose duty
/// cycle is the pattern's <see cref="HapticPattern.Intensity"/> during "on" steps and 0 during "off" steps.
/// </summary>
/// <remarks>
/// Ownership: the GPIO pin is opened here and closed in <see cref="Dispose"/>; the controller (or the PWM
/// channel) is disposed too when <c>shouldDispose</c> is true (dotnet/iot convention). Setting a sysfs PWM duty
/// cycle is one small file write, as cheap as a GPIO write, so it is done under the same lock. Thread-safe.
/// </remarks>
public sealed class HapticMotor : IDisposable
{
    private readonly GpioController? _controller;
    private readonly PwmChannel? _pwm;
    private readonly int _pin;
    private readonly bool _shouldDispose;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private HapticPattern? _playing;
    private int _step;
    private bool _disposed;

    /// <summary>On/off drive on <paramref name="pin"/> (BCM numbering) of <paramref name="controller"/>.</summary>
    public HapticMotor(GpioController controller, int pin, TimeProvider timeProvider, bool shouldDispose = true)
    {
        _controller = controller ?? throw new ArgumentNullException(nameof(controller));
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(pin);
        _pin = pin;
        _shouldDispose = shouldDispose;
        Output = $"GPIO{pin}";
        _controller.OpenPin(pin, PinMode.Output);
        _controller.Write(pin, PinValue.Low);
        _timer = timeProvider.CreateTimer(_ => Advance(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// PWM drive: the channel runs at its configured frequency from here on, at duty cycle 0 while idle.
    /// <paramref name="output"/> names it in reports (e.g. "PWM0 (pwmchip0/pwm0, GPIO18)").
    /// </summary>
    public HapticMotor(PwmChannel pwm, string output, TimeProvider timeProvider, bool shouldDispose = true)
    {
        _pwm = pwm ?? throw new ArgumentNullException(nameof(pwm));
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _pin = -1;
        _shouldDispose = shouldDispose;
        Output = output;
        _pwm.DutyCycle = 0;
        _pwm.Start();
        _timer = timeProvider.CreateTimer(_ => Advance(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>GPIO pin (BCM numbering) driving the transistor's base resistor; -1 under PWM drive.</summary>
    public int Pin => _pin;

    /// <summary>The drive, for reports: "GPIO18" or the PWM channel's name.</summary>
    public string Output { get; }

    /// <summary>True when the motor is driven by hardware PWM (intensity honoured), false for on/off GPIO.</summary>
    public bool UsesPwm => _pwm is not null;

    /// <summary>The pattern playing now, or null.</summary>
    public HapticPattern? Playing
    {
        get
        {
            lock (_gate)
            {
                return _playing;
            }
        }
    }

    /// <summary>Requests that were refused because a higher-priority pattern was playing.</summary>
    public int DroppedRequests { get; private set; }

    /// <summary>
    /// Starts <paramref name="pattern"/> unless a higher-priority one is playing. Returns false when dropped.
    /// Does not wait for the pattern.
    /// </summary>
    public bool Play(HapticPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_playing is not null && pattern.Priority < _playing.Priority)
            {
                DroppedRequests++;
                return false;
            }

            _playing = pattern;
            _step = 0;
            Drive(pattern.Intensity);
            _timer.Change(pattern.Steps[0], Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>Stops any pattern and switches the motor off.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _playing = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Drive(0);
        }
    }

    private void Advance()
    {
        lock (_gate)
        {
            if (_disposed || _playing is null)
            {
                return;
            }

            _step++;
            if (_step >= _playing.Steps.Count)
            {
                _playing = null;
                Drive(0);
                return;
            }

            // Even steps are "on", odd steps "off".
            Drive(_step % 2 == 0 ? _playing.Intensity : 0);
            _timer.Change(_playing.Steps[_step], Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Sets the motor's drive; under the lock. GPIO: any intensity above 0 is fully on.</summary>
    private void Drive(double intensity)
    {
        if (_pwm is not null)
        {
            _pwm.DutyCycle = intensity;
        }
        else
        {
            _controller!.Write(_pin, intensity > 0 ? PinValue.High : PinValue.Low);
        }
    }

    /// <summary>Switches the motor off, closes the pin and (if owned) disposes the controller. Safe to call twice.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _playing = null;
            _timer.Dispose();
            Drive(0);
            if (_pwm is not null)
            {
                _pwm.Stop();
                if (_shouldDispose)
                {
                    _pwm.Dispose();
                }
            }
            else if (_controller is not null)
            {
                _controller.ClosePin(_pin);
                if (_shouldDispose)
                {
                    _controller.Dispose();
                }
            }
        }
    }
}
