using CrampSense.Sensors.Configuration;

namespace CrampSense.Sensors;

/// <summary>One thing that keeps a configured part from working, and what to do about it.</summary>
/// <param name="Part">The configured part, e.g. "EMG ADC MCP3008 on SPI0 CE0".</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">What the user should do.</param>
public sealed record PreflightIssue(string Part, string Problem, string Fix)
{
    public override string ToString() => $"{Part}: {Problem} → {Fix}";
}

/// <summary>The device nodes the preflight looks at (the real Linux ones, or a test's).</summary>
public interface IDeviceNodes
{
    bool Exists(string path);

    /// <summary>True when the current user may open the node for reading and writing.</summary>
    bool CanOpenReadWrite(string path);

    /// <summary>Sub-directory names of <paramref name="path"/> matching <paramref name="pattern"/>.</summary>
    IEnumerable<string> Directories(string path, string pattern);
}

/// <summary>The real device nodes of this machine.</summary>
public sealed class LinuxDeviceNodes : IDeviceNodes
{
    public bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public bool CanOpenReadWrite(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // the node opened far enough to fail on I/O: access itself is allowed
        }
    }

    public IEnumerable<string> Directories(string path, string pattern) =>
        Directory.Exists(path) ? Directory.EnumerateDirectories(path, pattern).Select(p => Path.GetFileName(p)) : [];
}

/// <summary>
/// Checks, before any bus is opened, that each configured part can be reached: the kernel interface exists
/// (the config.txt overlay is on) and the user may open it (member of the spi / i2c / gpio group).
/// </summary>
public static class HardwarePreflight
{
    public static IReadOnlyList<PreflightIssue> Check(SensorsOptions options, IDeviceNodes nodes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nodes);
        var issues = new List<PreflightIssue>();
        var e = options.Emg;
        var spi = $"/dev/spidev{e.SpiBus}.{e.ChipSelect}";
        CheckNode(issues, nodes, $"EMG ADC {e.Chip} on SPI{e.SpiBus} CE{e.ChipSelect}", spi,
            $"SPI is not enabled: {spi} does not exist",
            "add dtparam=spi=on to /boot/firmware/config.txt (or run raspi-config → Interface Options → SPI) and reboot",
            "spi");

        var t = options.Temperature;
        var i2cParts = new List<(int Bus, string Part)>();
        if (string.Equals(t.Chip, "DS18B20", StringComparison.OrdinalIgnoreCase))
        {
            var part = "skin temperature DS18B20 on 1-Wire";
            if (!nodes.Exists(SensorComposition.OneWireDevicesPath))
            {
                issues.Add(new PreflightIssue(part, $"1-Wire is not enabled: {SensorComposition.OneWireDevicesPath} does not exist",
                    "add dtoverlay=w1-gpio,gpiopin=4 to /boot/firmware/config.txt and reboot"));
            }
            else if (!nodes.Directories(SensorComposition.OneWireDevicesPath, "28-*").Any())
            {
                issues.Add(new PreflightIssue(part, "no DS18B20 (28-*) on the 1-Wire bus",
                    "check the wiring: DQ to GPIO4 (pin 7), a 4.7 kΩ pull-up from DQ to 3V3, VDD to 3V3, GND"));
            }
        }
        else if (!string.Equals(t.Chip, "None", StringComparison.OrdinalIgnoreCase))
        {
            i2cParts.Add((t.I2cBus, $"skin temperature {t.Chip}"));
        }

        if (!string.Equals(options.Imu.Chip, "None", StringComparison.OrdinalIgnoreCase))
        {
            i2cParts.Add((options.Imu.I2cBus, $"IMU {options.Imu.Chip}"));
        }

        // One message per I2C bus, naming every part on it.
        foreach (var bus in i2cParts.GroupBy(p => p.Bus))
        {
            CheckI2c(issues, nodes, string.Join(" and ", bus.Select(p => p.Part)), bus.Key);
        }

        if (options.Haptics.Enabled)
        {
            CheckNode(issues, nodes, $"vibration motor on GPIO{options.Haptics.GpioPin}", "/dev/gpiochip0",
                "no GPIO chip: /dev/gpiochip0 does not exist (not a Raspberry Pi, or the container has no /dev/gpiochip*)",
                "run on the Pi (or pass the device into the container)",
                "gpio");
            if (options.Haptics.PwmChip is int chip)
            {
                // pwm-2chan overlay (raspberrypi/firmware overlays README): pin/func for PWM0, pin2/func2 for PWM1;
                // func is the GPFSEL code of the PWM alternate function: 4 = ALT0 (GPIO12/13), 2 = ALT5 (GPIO18/19).
                var pin = options.Haptics.GpioPin;
                var function = pin is 12 or 13 ? 4 : 2;
                var overlayPin = options.Haptics.PwmChannel == 0 ? $"pin={pin},func={function}" : $"pin2={pin},func2={function}";
                CheckNode(issues, nodes, $"vibration motor on PWM{options.Haptics.PwmChannel} (GPIO{options.Haptics.GpioPin})", $"/sys/class/pwm/pwmchip{chip}/export",
                    $"hardware PWM is not enabled: /sys/class/pwm/pwmchip{chip} does not exist",
                    $"add dtoverlay=pwm-2chan,{overlayPin} to /boot/firmware/config.txt and reboot (or leave Sensors:Haptics:PwmChip out for on/off GPIO)",
                    "gpio");
            }
        }

        return issues;
    }

    private static void CheckI2c(List<PreflightIssue> issues, IDeviceNodes nodes, string part, int bus)
    {
        var node = $"/dev/i2c-{bus}";
        CheckNode(issues, nodes, $"{part} on I2C{bus}", node,
            $"I2C is not enabled: {node} does not exist",
            "add dtparam=i2c_arm=on to /boot/firmware/config.txt (or raspi-config → Interface Options → I2C) and reboot",
            "i2c");
    }

    private static void CheckNode(List<PreflightIssue> issues, IDeviceNodes nodes, string part, string node, string missing, string enable, string group)
    {
        if (!nodes.Exists(node))
        {
            issues.Add(new PreflightIssue(part, missing, enable));
        }
        else if (!nodes.CanOpenReadWrite(node))
        {
            issues.Add(new PreflightIssue(part, $"permission denied on {node}",
                $"add the service user to the '{group}' group (sudo usermod -aG {group} $USER), then log out and in; no need to run as root"));
        }
    }
}

/// <summary>Device nodes of the simulated rig: every interface present and accessible.</summary>
public sealed class SimulatedDeviceNodes : IDeviceNodes
{
    public bool Exists(string path) => true;

    public bool CanOpenReadWrite(string path) => true;

    public IEnumerable<string> Directories(string path, string pattern) => ["28-000000000000"];
}
