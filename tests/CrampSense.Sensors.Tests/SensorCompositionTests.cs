using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Sensors.Tests;

public class SensorCompositionTests
{
    [Theory]
    [InlineData("Spin", SamplingPacing.Spin)]
    [InlineData("sleep", SamplingPacing.Sleep)]
    [InlineData("Batch", SamplingPacing.Batch)]
    public void AcquisitionSettingsFrom_PacingKey_SelectsTheMode(string key, SamplingPacing expected)
    {
        var options = new SensorsOptions { Emg = new EmgOptions { Pacing = key, BatchMilliseconds = 8, RateHz = 1500, LatenessTolerancePeriods = 2 } };

        var settings = SensorComposition.AcquisitionSettingsFrom(options);

        Assert.Equal(expected, settings.Pacing);
        Assert.Equal(TimeSpan.FromMilliseconds(8), settings.BatchPeriod);
        Assert.Equal(1500, settings.EmgRateHz);
        Assert.Equal(2, settings.LatenessTolerancePeriods);
    }

    [Fact]
    public void AcquisitionSettingsFrom_Defaults_SleepPerSlot()
    {
        Assert.Equal(SamplingPacing.Sleep, SensorComposition.AcquisitionSettingsFrom(new SensorsOptions()).Pacing);
    }

    [Fact]
    public void Build_WithABusFactory_OpensEveryConfiguredBusThroughIt()
    {
        var buses = new RecordingBuses(new FakeTimeProvider());

        using var rig = SensorComposition.Build(Wiring(), buses, new FakeTimeProvider());

        Assert.Equal(["spi 0.0", "i2c MLX90614 1 0x5A", "i2c MPU6050 1 0x68", "gpio"], buses.Opened);
        Assert.Equal("MLX90614", rig.TemperatureChip);
        Assert.Equal("MPU6050", rig.ImuChip);
        Assert.NotNull(rig.Motor);
    }

    [Fact]
    public void Build_ABusFailsToOpen_ClosesWhatWasAlreadyOpened()
    {
        var buses = new RecordingBuses(new FakeTimeProvider()) { FailOn = "MPU6050" };

        Assert.Throws<IOException>(() => SensorComposition.Build(Wiring(), buses, new FakeTimeProvider()));

        Assert.True(((SimulatedMcp3xxx)buses.Devices[0]).IsDisposed);
        Assert.True(((SimulatedMlx90614)buses.Devices[1]).IsDisposed);
    }

    [Fact]
    public void Build_InvalidOptions_OpensNothing()
    {
        var buses = new RecordingBuses(new FakeTimeProvider());
        var options = Wiring();
        options.Emg.RateHz = 4000;

        Assert.Throws<SensorsConfigurationException>(() => SensorComposition.Build(options, buses, new FakeTimeProvider()));

        Assert.Empty(buses.Opened);
    }

    private static SensorsOptions Wiring() => new()
    {
        Emg = new EmgOptions { Channels = [new EmgChannelOptions { Channel = 0, Site = "calf", Gain = 200 }] },
        Temperature = new TemperatureOptions { Chip = "MLX90614", I2cBus = 1 },
        Imu = new ImuOptions { Chip = "MPU6050", I2cBus = 1, Address = 0x68 },
        Haptics = new HapticsOptions { Enabled = true, GpioPin = 18 },
    };

    /// <summary>The simulated buses, recording what the builder opens (and optionally failing one chip's bus).</summary>
    private sealed class RecordingBuses(TimeProvider time) : ISensorBusFactory
    {
        private readonly SimulatedBusFactory _inner = new(time);

        public List<string> Opened { get; } = [];

        public List<IDisposable> Devices { get; } = [];

        public string? FailOn { get; init; }

        public SpiDevice OpenSpi(EmgOptions emg)
        {
            Opened.Add($"spi {emg.SpiBus}.{emg.ChipSelect}");
            return Keep(_inner.OpenSpi(emg));
        }

        public I2cDevice OpenI2c(string chip, int busId, int address)
        {
            if (chip == FailOn)
            {
                throw new IOException($"{chip}: no answer on i2c-{busId}");
            }

            Opened.Add($"i2c {chip} {busId} 0x{address:X2}");
            return Keep(_inner.OpenI2c(chip, busId, address));
        }

        public Ds18b20Thermometer OpenDs18b20(TemperatureOptions temperature)
        {
            Opened.Add("1-wire");
            return _inner.OpenDs18b20(temperature);
        }

        public PwmChannel OpenPwm(HapticsOptions haptics, int chip)
        {
            Opened.Add($"pwm {chip}");
            return Keep(_inner.OpenPwm(haptics, chip));
        }

        public GpioController OpenGpio()
        {
            Opened.Add("gpio");
            return Keep(_inner.OpenGpio());
        }

        public string SpiBusName(EmgOptions emg) => _inner.SpiBusName(emg);

        private T Keep<T>(T device)
            where T : IDisposable
        {
            Devices.Add(device);
            return device;
        }
    }
}
