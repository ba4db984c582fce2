using System.Device.Gpio;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Simulated;
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

    public static TheoryData<string, (int AtMs, double DutyCycle)[]> PwmSchedules => new()
    {
        { "cramp-alert", [(0, 1.0), (400, 0), (600, 1.0), (1000, 0), (1200, 1.0), (1600, 0)] },
        { "warning", [(0, 0.85), (150, 0), (300, 0.85), (450, 0)] },
        { "prompt", [(0, 0.7), (100, 0)] },
    };

    [Theory]
    [MemberData(nameof(PwmSchedules))]
    public void Play_NamedPatternOnPwm_SetsItsIntensityAndZeroAtEachStepTime(string name, (int AtMs, double DutyCycle)[] expected)
    {
        var clock = new FakeTimeProvider();
        var pwm = new SimulatedPwmChannel(clock);
        using var motor = new HapticMotor(pwm, "PWM0", clock);
        pwm.ClearChanges();

        Assert.True(motor.Play(HapticPattern.Named.Single(p => p.Name == name)));
        for (var i = 0; i < 40; i++)
        {
            clock.Advance(Ms(50));
        }

        Assert.Equal(expected.Select(e => (Ms(e.AtMs), e.DutyCycle)), pwm.Changes);
        Assert.Null(motor.Playing);
        Assert.True(pwm.Running);
    }

    [Fact]
    public void Play_OnPwm_ReturnsWithOnlyTheFirstStepSet()
    {
        var clock = new FakeTimeProvider();
        var pwm = new SimulatedPwmChannel(clock);
        using var motor = new HapticMotor(pwm, "PWM0", clock);

        motor.Play(HapticPattern.CrampAlert);

        Assert.Equal([(TimeSpan.Zero, 0.0), (TimeSpan.Zero, 1.0)], pwm.Changes); // idle 0 at start, then "on"
        Assert.Same(HapticPattern.CrampAlert, motor.Playing);
        Assert.True(motor.UsesPwm);
        Assert.Equal(-1, motor.Pin);
    }

    [Fact]
    public void Play_OnGpio_DrivesReducedIntensityPatternsFullyOn()
    {
        var clock = new FakeTimeProvider();
        var driver = new RecordingGpioDriver(clock);
        using var motor = new HapticMotor(new GpioController(driver), Pin, clock);

        motor.Play(HapticPattern.Prompt); // intensity 0.7: a plain pin has only on and off

        Assert.Equal(PinValue.High, driver.Writes[^1].Value);
        Assert.False(motor.UsesPwm);
        Assert.Equal("GPIO18", motor.Output);
    }

    [Fact]
    public void Dispose_OnPwm_ZeroesStopsAndDisposesAnOwnedChannel()
    {
        var clock = new FakeTimeProvider();
        var pwm = new SimulatedPwmChannel(clock);
        var motor = new HapticMotor(pwm, "PWM0", clock);
        motor.Play(HapticPattern.CrampAlert);

        motor.Dispose();
        motor.Dispose();

        Assert.Equal(0, pwm.DutyCycle);
        Assert.False(pwm.Running);
        Assert.True(pwm.IsDisposed);
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
}
