using System.Device.Gpio;

namespace CrampSense.Sensors.Haptics;

/// <summary>
/// A coin vibration motor switched by an NPN transistor (or logic-level MOSFET) on a GPIO pin, with a
/// flyback diode across the motor (see docs/hardware.md). Patterns play on timer callbacks of the injected
/// <see cref="TimeProvider"/>: <see cref="Play"/> writes the first level and returns at once, so the caller
/// (possibly the sampling thread) never waits for a pattern. Plain on/off switching: the Pi's hardware PWM
/// would need the pwm overlay and a PWM-capable pin; on/off is enough to feel three distinct patterns.
/// </summary>
/// <remarks>
/// Ownership: the pin is opened here and closed in <see cref="Dispose"/>; the controller is disposed too when
/// <c>shouldDispose</c> is true (dotnet/iot convention). Thread-safe.
/// </remarks>
public sealed class HapticMotor : IDisposable
{
    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly bool _shouldDispose;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private HapticPattern? _playing;
    private int _step;
    private bool _disposed;

    public HapticMotor(GpioController controller, int pin, TimeProvider timeProvider, bool shouldDispose = true)
    {
        _controller = controller ?? throw new ArgumentNullException(nameof(controller));
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(pin);
        _pin = pin;
        _shouldDispose = shouldDispose;
        _controller.OpenPin(pin, PinMode.Output);
        _controller.Write(pin, PinValue.Low);
        _timer = timeProvider.CreateTimer(_ => Advance(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>GPIO pin (BCM numbering) driving the transistor's base resistor.</summary>
    public int Pin => _pin;

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
            _controller.Write(_pin, PinValue.High);
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
            _controller.Write(_pin, PinValue.Low);
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
                _controller.Write(_pin, PinValue.Low);
                return;
            }

            // Even steps are "on", odd steps "off".
            _controller.Write(_pin, _step % 2 == 0 ? PinValue.High : PinValue.Low);
            _timer.Change(_playing.Steps[_step], Timeout.InfiniteTimeSpan);
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
            _controller.Write(_pin, PinValue.Low);
            _controller.ClosePin(_pin);
            if (_shouldDispose)
            {
                _controller.Dispose();
            }
        }
    }
}
