using System.Device.Gpio;

namespace CrampSense.Sensors.Tests.Fakes;

/// <summary>A GPIO driver that records every pin write with the time of the injected clock.</summary>
public sealed class RecordingGpioDriver(TimeProvider clock) : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _values = [];

    public List<(TimeSpan At, int Pin, PinValue Value)> Writes { get; } = [];

    public HashSet<int> OpenPins { get; } = [];

    public bool IsDisposed { get; private set; }

    private readonly DateTimeOffset _start = clock.GetUtcNow();

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber) => OpenPins.Add(pinNumber);

    protected override void ClosePin(int pinNumber) => OpenPins.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _values.GetValueOrDefault(pinNumber, PinValue.Low);

    protected override void Write(int pinNumber, PinValue value)
    {
        _values[pinNumber] = value;
        Writes.Add((clock.GetUtcNow() - _start, pinNumber, value));
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
