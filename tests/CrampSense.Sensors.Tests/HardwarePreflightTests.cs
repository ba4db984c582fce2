using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Tests.Fakes;
using Xunit;

namespace CrampSense.Sensors.Tests;

public class HardwarePreflightTests
{
    private static SensorsOptions FullWiring(string temperatureChip = "MLX90614") => new()
    {
        Emg = new EmgOptions { Channels = [new EmgChannelOptions { Channel = 0, Site = "calf" }] },
        Temperature = new TemperatureOptions { Chip = temperatureChip },
        Imu = new ImuOptions { Chip = "MPU6050" },
        Haptics = new HapticsOptions { Enabled = true, GpioPin = 18 },
    };

    [Fact]
    public void Check_NoInterfacesEnabled_SaysWhichOverlayToTurnOnForEachPart()
    {
        var issues = HardwarePreflight.Check(FullWiring(), new FakeDeviceNodes());

        Assert.Equal(3, issues.Count); // SPI, I2C (once for both I2C parts), GPIO
        Assert.Contains(issues, i => i.Problem == "SPI is not enabled: /dev/spidev0.0 does not exist" && i.Fix.Contains("dtparam=spi=on", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Problem == "I2C is not enabled: /dev/i2c-1 does not exist" && i.Fix.Contains("dtparam=i2c_arm=on", StringComparison.Ordinal)
            && i.Part == "skin temperature MLX90614 and IMU MPU6050 on I2C1");
        Assert.Contains(issues, i => i.Part == "vibration motor on GPIO18");
    }

    [Fact]
    public void Check_NodesExistButNotAccessible_SaysWhichGroupToJoin()
    {
        var nodes = new FakeDeviceNodes();
        nodes.Existing.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);
        nodes.Denied.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);

        var issues = HardwarePreflight.Check(FullWiring(), nodes);

        Assert.Contains(issues, i => i.Problem == "permission denied on /dev/spidev0.0" && i.Fix.Contains("usermod -aG spi", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Problem == "permission denied on /dev/i2c-1" && i.Fix.Contains("'i2c' group", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Problem == "permission denied on /dev/gpiochip0" && i.Fix.Contains("'gpio' group", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_Ds18b20WithoutOverlayOrDevice_PointsAtOverlayThenPullUp()
    {
        var nodes = new FakeDeviceNodes();
        nodes.Existing.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);

        var noOverlay = Assert.Single(HardwarePreflight.Check(FullWiring("DS18B20"), nodes));
        Assert.Contains("dtoverlay=w1-gpio,gpiopin=4", noOverlay.Fix, StringComparison.Ordinal);

        nodes.Existing.Add(SensorComposition.OneWireDevicesPath);
        nodes.Children[SensorComposition.OneWireDevicesPath] = ["w1_bus_master1"];
        var noDevice = Assert.Single(HardwarePreflight.Check(FullWiring("DS18B20"), nodes));
        Assert.Contains("4.7 kΩ pull-up", noDevice.Fix, StringComparison.Ordinal);

        nodes.Children[SensorComposition.OneWireDevicesPath].Add("28-0316a2791aff");
        Assert.Empty(HardwarePreflight.Check(FullWiring("DS18B20"), nodes));
    }

    [Fact]
    public void Check_PwmConfiguredWithoutOverlay_SaysWhichOverlayLineToAdd()
    {
        var options = FullWiring();
        options.Haptics.PwmChip = 0;
        var nodes = new FakeDeviceNodes();
        nodes.Existing.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);

        var issue = Assert.Single(HardwarePreflight.Check(options, nodes));

        Assert.Equal("vibration motor on PWM0 (GPIO18)", issue.Part);
        Assert.Equal("hardware PWM is not enabled: /sys/class/pwm/pwmchip0 does not exist", issue.Problem);
        Assert.Contains("dtoverlay=pwm-2chan,pin=18,func=2", issue.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EverythingPresent_NoIssues()
    {
        var nodes = new FakeDeviceNodes();
        nodes.Existing.UnionWith(["/dev/spidev0.0", "/dev/i2c-1", "/dev/gpiochip0"]);

        Assert.Empty(HardwarePreflight.Check(FullWiring(), nodes));
    }
}
