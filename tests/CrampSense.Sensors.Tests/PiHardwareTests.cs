using CrampSense.Sensors.Configuration;
using Xunit;

namespace CrampSense.Sensors.Tests;

/// <summary>
/// Tests against the real chips on a wired Raspberry Pi (docs/hardware.md, "Hardware tests"). They carry
/// the trait hardware=pi so CI leaves them out (<c>-- --filter-not-trait "hardware=pi"</c>), and they skip
/// themselves on a machine without /dev/spidev0.0. The wiring comes from the file named by
/// CRAMPSENSE_SENSORS_CONFIG, else the sample wiring.
/// </summary>
[Trait("hardware", "pi")]
public class PiHardwareTests
{
    private static SensorsOptions WiringOrSkip()
    {
        Assert.SkipUnless(File.Exists("/dev/spidev0.0"), "No /dev/spidev0.0: not a Raspberry Pi with SPI enabled.");
        var path = Environment.GetEnvironmentVariable("CRAMPSENSE_SENSORS_CONFIG")
            ?? Path.Combine(AppContext.BaseDirectory, "samples", "appsettings.sensors.json");
        return SensorsOptionsValidator.LoadJson(path);
    }

    [Fact]
    public void Probe_WiredPi_EveryConfiguredPartAnswersWithoutFaults()
    {
        var options = WiringOrSkip();
        var output = new StringWriter();

        var exit = HardwareProbe.Run(options, new LinuxDeviceNodes(), o => SensorComposition.Build(o, TimeProvider.System),
            TimeProvider.System, TimeSpan.FromSeconds(3), output, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(output.ToString());
        Assert.Equal(HardwareProbe.Ok, exit);
    }

    [Fact]
    public void Acquisition_WiredPi_KeepsTheConfiguredRateWithFewerThanOnePerMilleDropped()
    {
        var options = WiringOrSkip();
        using var rig = SensorComposition.Build(options, TimeProvider.System);
        var frame = rig.Engine.Layout.CreateFrame();
        var start = TimeProvider.System.GetTimestamp();

        rig.Engine.Start();
        while (TimeProvider.System.GetElapsedTime(start) < TimeSpan.FromSeconds(5))
        {
            rig.Engine.Frames.WaitForData(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
            while (rig.Engine.Frames.TryRead(frame, out _))
            {
            }
        }

        rig.Engine.Stop();
        var report = rig.Engine.Statistics.Snapshot();
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.Equal(options.Emg.RateHz, report.MeasuredRateHz, options.Emg.RateHz * 0.01);
        Assert.True(report.DroppedSlots < report.Samples / 1000, $"{report.DroppedSlots} of {report.Samples} slots dropped");
    }
}
