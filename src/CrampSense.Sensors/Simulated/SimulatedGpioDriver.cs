using System.Device.Gpio;

namespace CrampSense.Sensors.Simulated;

/// <summary>A GPIO driver without hardware: pins keep the last value written (for the simulated rig).</summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _values = [];
    private readonly Lock _gate = new();

    /// <summary>Rising edges written so far, per pin (how often the motor was switched on).</summary>
    public int RisingEdges(int pin)
    {
        lock (_gate)
        {
            return _edges.GetValueOrDefault(pin);
        }
    }

    private readonly Dictionary<int, int> _edges = [];

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber)
    {
    }

    protected override void ClosePin(int pinNumber)
    {
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            _modes[pinNumber] = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return _modes.GetValueOrDefault(pinNumber, PinMode.Input);
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
        {
            return _values.GetValueOrDefault(pinNumber, PinValue.Low);
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            if (value == PinValue.High && _values.GetValueOrDefault(pinNumber, PinValue.Low) == PinValue.Low)
            {
                _edges[pinNumber] = _edges.GetValueOrDefault(pinNumber) + 1;
            }

            _values[pinNumber] = value;
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The simulated driver has no input events.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The simulated driver has no input events.");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The simulated driver has no input events.");
}
