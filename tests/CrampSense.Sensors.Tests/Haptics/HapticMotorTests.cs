using System.Device.Gpio;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Sensors.Tests.Haptics;

public class HapticMotorTests
{
    private const int Pin = 18;

    [Fact]
    public void Play_CrampAlert_DrivesThePinThroughEveryStepAtItsTime()
    {
        var clock = new FakeTimeProvider();
        var driver = new RecordingGpioDriver(clock);
        using var motor = new HapticMotor(new GpioController(driver), Pin, clock);
        driver.Writes.Clear();

        Assert.True(motor.Play(HapticPattern.CrampAlert));
        for (var i = 0; i < 20; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        var expected = new (TimeSpan, int, PinValue)[]
        {
            (Ms(0), Pin, PinValue.High), (Ms(400), Pin, PinValue.Low), (Ms(600), Pin, PinValue.High),
            (Ms(1000), Pin, PinValue.Low), (Ms(1200), Pin, PinValue.High), (Ms(1600), Pin, PinValue.Low),
        };
        Assert.Equal(expected, driver.Writes);
        Assert.Null(motor.Playing);
    }

    [Fact]
    public void Play_ReturnsBeforeThePatternEnds()
    {
        var clock = new FakeTimeProvider();
        var driver = new RecordingGpioDriver(clock);
        using var motor = new HapticMotor(new GpioController(driver), Pin, clock);

        motor.Play(HapticPattern.Warning);

        // Nothing advanced the clock: the call came back with only the first step written.
        Assert.Same(HapticPattern.Warning, motor.Playing);
        Assert.Equal(PinValue.High, driver.Writes[^1].Value);
    }

    [Fact]
    public void Play_LowerPriorityWhileAlertPlays_IsDroppedAndCounted()
    {
        var clock = new FakeTimeProvider();
        var driver = new RecordingGpioDriver(clock);
        using var motor = new HapticMotor(new GpioController(driver), Pin, clock);

        motor.Play(HapticPattern.CrampAlert);
        clock.Advance(Ms(100));

        Assert.False(motor.Play(HapticPattern.Prompt));
        Assert.Equal(1, motor.DroppedRequests);
        Assert.Same(HapticPattern.CrampAlert, motor.Playing);
    }

    [Fact]
    public void Play_AlertWhilePromptPlays_ReplacesIt()
    {
        var clock = new FakeTimeProvider();
        var driver = new RecordingGpioDriver(clock);
        using var motor = new HapticMotor(new GpioController(driver), Pin, clock);
        motor.Play(HapticPattern.Prompt);
        clock.Advance(Ms(50));

        Assert.True(motor.Play(HapticPattern.CrampAlert));
        clock.Advance(Ms(100)); // the prompt's end (at 100 ms) must not switch the alert off

        Assert.Equal(PinValue.High, driver.Writes[^1].Value);
        clock.Advance(Ms(300));
        Assert.Equal((Ms(450), Pin, PinValue.Low), driver.Writes[^1]);
    }

    [Fact]
    public void Dispose_SwitchesOffClosesThePinAndDisposesAnOwnedController()
    {
        var clock = new FakeTimeProvider();
        var driver = new RecordingGpioDriver(clock);
        var motor = new HapticMotor(new GpioController(driver), Pin, clock);
        motor.Play(HapticPattern.CrampAlert);

        motor.Dispose();
        motor.Dispose();

        Assert.Equal(PinValue.Low, driver.Writes[^1].Value);
        Assert.DoesNotContain(Pin, driver.OpenPins);
        Assert.True(driver.IsDisposed);
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
}
