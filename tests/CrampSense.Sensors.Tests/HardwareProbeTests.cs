using System.Numerics;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Haptics;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using CrampSense.Sensors.Tests.Fakes;
using Xunit;

namespace CrampSense.Sensors.Tests;

public class HardwareProbeTests
{
    private static SensorsOptions Wiring() => new()
    {
        Emg = new EmgOptions { Channels = [new EmgChannelOptions { Channel = 0, Site = "calf_left" }, new EmgChannelOptions { Channel = 1, Site = "calf_right" }] },
        Temperature = new TemperatureOptions { Chip = "MCP9808" },
        Imu = new ImuOptions { Chip = "MPU6050" },
        Haptics = new HapticsOptions { Enabled = true, GpioPin = 18 },
    };

    [Fact]
    public void Run_NoHardware_ExitsNonZeroWithAMessagePerPartAndOpensNothing()
    {
        var output = new StringWriter();
        var built = false;

        var exit = HardwareProbe.Run(Wiring(), new FakeDeviceNodes(), _ => { built = true; throw new InvalidOperationException(); },
            TimeProvider.System, TimeSpan.FromSeconds(3), output, TestContext.Current.CancellationToken);

        Assert.Equal(HardwareProbe.Unreachable, exit);
        Assert.False(built);
        var text = output.ToString();
        Assert.Contains("SPI is not enabled: /dev/spidev0.0 does not exist", text, StringComparison.Ordinal);
        Assert.Contains("I2C is not enabled: /dev/i2c-1 does not exist", text, StringComparison.Ordinal);
        Assert.Contains("/dev/gpiochip0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SimulatedRigWithOneElectrodeOff_ReportsEachPartAndTheLeadOff()
    {
        var nodes = new FakeDeviceNodes();
        nodes.Existing.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);
        var output = new StringWriter();
        RecordingGpioDriver? driver = null;

        SensorRig Build(SensorsOptions o)
        {
            var time = TimeProvider.System;
            var status = new SensorStatusLog();
            var spi = new SimulatedMcp3xxx(10, 3.3, (ch, n) => ch == 1 ? 0.0 : 1.65 + (0.04 * Math.Sin(n * 0.3)));
            var adc = new Mcp3008EmgAdc(spi, 3.3, [new EmgChannel(0, "calf_left", 200), new EmgChannel(1, "calf_right", 200)]);
            var thermometer = new Mcp9808Thermometer(new SimulatedMcp9808 { AmbientCelsius = 32.25 });
            var imu = new Mpu6050Imu(new SimulatedMpu6050 { AccelerationG = new Vector3(0, 0, 1) });
            var engine = new AcquisitionEngine(adc, new AcquisitionSettings { EmgRateHz = 1000 }, time, status,
                new PolledSensorWorker<float>(thermometer.Chip, thermometer.Bus, thermometer.TryReadCelsius, 10, time, status),
                new PolledSensorWorker<ImuReading>(imu.Chip, imu.Bus, imu.TryRead, 50, time, status));
            driver = new RecordingGpioDriver(time);
            return new SensorRig(engine, new HapticMotor(new System.Device.Gpio.GpioController(driver), 18, time), thermometer.Chip, imu.Chip);
        }

        var exit = HardwareProbe.Run(Wiring(), nodes, Build, TimeProvider.System, TimeSpan.FromSeconds(1), output, TestContext.Current.CancellationToken);

        var text = output.ToString();
        Assert.Equal(HardwareProbe.SensorFaults, exit);
        Assert.Contains("CH0 calf_left:", text, StringComparison.Ordinal);
        Assert.Matches(@"CH0 calf_left: .* connected", text);
        Assert.Matches(@"CH1 calf_right: .* LEAD-OFF \(railed", text);
        Assert.Contains("MCP9808: 32.25 °C", text, StringComparison.Ordinal);
        Assert.Contains("MPU6050: acceleration 0.000, 0.000, 1.000 g", text, StringComparison.Ordinal);
        Assert.Contains(driver!.Writes, w => w.Pin == 18 && w.Value == System.Device.Gpio.PinValue.High);
        Assert.Matches(@"Railed", text);
    }

    [Fact]
    public void Run_ComposedSimulatedRig_ShowsTheAccelerationReadFromTheMpuFifo()
    {
        var nodes = new FakeDeviceNodes();
        nodes.Existing.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);
        var output = new StringWriter();

        // The service's composition: the MPU-6050 sampled into its FIFO, read in bursts, handed to the frames by time.
        HardwareProbe.Run(Wiring(), nodes, o => SimulatedRig.Build(o, TimeProvider.System), TimeProvider.System, TimeSpan.FromSeconds(1), output,
            TestContext.Current.CancellationToken);

        Assert.Contains("MPU6050: acceleration 0.020, -0.010, 0.990 g", output.ToString(), StringComparison.Ordinal);
    }
}
