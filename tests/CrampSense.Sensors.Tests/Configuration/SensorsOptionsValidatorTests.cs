using CrampSense.Sensors.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CrampSense.Sensors.Tests.Configuration;

public class SensorsOptionsValidatorTests
{
    private static SensorsOptions Valid() => new()
    {
        Emg = new EmgOptions { Channels = [new EmgChannelOptions { Channel = 0, Site = "calf" }] },
    };

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData("samples/appsettings.sensors.json")]
    [InlineData("samples/appsettings.sensors.ds18b20-mcp3208.json")]
    public void LoadJson_SampleFiles_AreValid(string path)
    {
        var options = SensorsOptionsValidator.LoadJson(Path.Combine(AppContext.BaseDirectory, path));

        Assert.NotEmpty(options.Emg.Channels);
    }

    [Fact]
    public void LoadJson_Sample_BindsTheCommonWiring()
    {
        var options = SensorsOptionsValidator.LoadJson(Path.Combine(AppContext.BaseDirectory, "samples/appsettings.sensors.json"));

        Assert.Equal("MCP3008", options.Emg.Chip);
        Assert.Equal(["calf_left", "calf_right"], options.Emg.Channels.Select(c => c.Site));
        Assert.Equal(0x5A, options.Temperature.Address);
        Assert.Equal(0x68, options.Imu.Address);
        Assert.Equal(18, options.Haptics.GpioPin);
    }

    [Theory]
    [InlineData(0, 18, null)]
    [InlineData(0, 12, null)]
    [InlineData(1, 19, null)]
    [InlineData(0, 19, "Sensors:Haptics:GpioPin: PWM0 can drive GPIO12 or GPIO18, not GPIO19")]
    [InlineData(2, 18, "Sensors:Haptics:PwmChannel: 2 is out of range")]
    public void Validate_HapticsPwm_ChecksChannelAndPin(int channel, int pin, string? error)
    {
        var options = Valid();
        options.Haptics = new HapticsOptions { Enabled = true, GpioPin = pin, PwmChip = 0, PwmChannel = channel };

        var errors = SensorsOptionsValidator.Validate(options);

        if (error is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith(error, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_UnknownPacing_NamesTheKeyAndTheModes()
    {
        var options = Valid();
        options.Emg.Pacing = "Busy";

        var error = Assert.Single(SensorsOptionsValidator.Validate(options));

        Assert.StartsWith("Sensors:Emg:Pacing", error, StringComparison.Ordinal);
        Assert.Contains("Spin", error, StringComparison.Ordinal);
        Assert.Contains("Sleep", error, StringComparison.Ordinal);
        Assert.Contains("Batch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BatchPeriodOutOfRange_NamesTheKey()
    {
        var options = Valid();
        options.Emg.Pacing = "Batch";
        options.Emg.BatchMilliseconds = 50;

        var error = Assert.Single(SensorsOptionsValidator.Validate(options));

        Assert.StartsWith("Sensors:Emg:BatchMilliseconds: 50 is out of range; allowed: 1–20", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadSite_NamesTheKeyAndTheAllowedForm()
    {
        var options = Valid();
        options.Emg.Channels[0].Site = "Left Calf";

        var error = Assert.Single(SensorsOptionsValidator.Validate(options));

        Assert.StartsWith("Sensors:Emg:Channels:0:Site: 'Left Calf' is not a site name", error, StringComparison.Ordinal);
        Assert.Contains("lower-case letters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownChip_ListsTheAllowedChips()
    {
        var options = Valid();
        options.Emg.Chip = "MCP3004";
        options.Temperature.Chip = "TMP117";

        var errors = SensorsOptionsValidator.Validate(options);

        Assert.Contains("Sensors:Emg:Chip: 'MCP3004' is not supported; allowed: MCP3008, MCP3208.", errors);
        Assert.Contains("Sensors:Temperature:Chip: 'TMP117' is not supported; allowed: None, MLX90614, MCP9808, DS18B20.", errors);
    }

    [Fact]
    public void Validate_RateOutOfRange_NamesKeyAndRange()
    {
        var options = Valid();
        options.Emg.RateHz = 4000;
        options.Imu.Chip = "MPU6050";
        options.Imu.RateHz = 500;

        var errors = SensorsOptionsValidator.Validate(options);

        Assert.Contains("Sensors:Emg:RateHz: 4000 is out of range; allowed: 1000–2000.", errors);
        Assert.Contains("Sensors:Imu:RateHz: 500 is out of range; allowed: 50–100.", errors);
    }

    [Fact]
    public void Validate_TwoSitesOnOneChannelAndFiveChannels_ReportsBoth()
    {
        var options = Valid();
        options.Emg.Channels = Enumerable.Range(0, 5).Select(i => new EmgChannelOptions { Channel = i == 4 ? 0 : i, Site = $"s{i}" }).ToList();

        var errors = SensorsOptionsValidator.Validate(options);

        Assert.Contains("Sensors:Emg:Channels: 5 channels configured; wire 1 to 4 (channel → site).", errors);
        Assert.Contains("Sensors:Emg:Channels:4:Channel: ADC channel 0 is already wired to another site.", errors);
    }

    [Fact]
    public void Validate_MotorOnTheOneWirePin_IsRejected()
    {
        var options = Valid();
        options.Temperature.Chip = "DS18B20";
        options.Haptics = new HapticsOptions { Enabled = true, GpioPin = 4 };

        var error = Assert.Single(SensorsOptionsValidator.Validate(options));

        Assert.StartsWith("Sensors:Haptics:GpioPin: GPIO4 is the 1-Wire data line", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ImuAddress_AllowsOnly0x68And0x69()
    {
        var options = Valid();
        options.Imu.Chip = "MPU6050";
        options.Imu.Address = 0x5A;

        var error = Assert.Single(SensorsOptionsValidator.Validate(options));

        Assert.Equal("Sensors:Imu:Address: 0x5A is not an MPU address; allowed: 0x68 (AD0 low), 0x69 (AD0 high).", error);
    }

    [Fact]
    public void Load_ValueNotANumber_NamesTheKey()
    {
        var configuration = Config(("Sensors:Emg:RateHz", "fast"), ("Sensors:Emg:Channels:0:Site", "calf"));

        var ex = Assert.Throws<SensorsConfigurationException>(() => SensorsOptionsValidator.Load(configuration));

        Assert.Contains("Sensors:Emg:RateHz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKey_IsAnError()
    {
        var configuration = Config(("Sensors:Emg:Channels:0:Site", "calf"), ("Sensors:Emg:Gian", "200"));

        var ex = Assert.Throws<SensorsConfigurationException>(() => SensorsOptionsValidator.Load(configuration));

        Assert.Contains("Gian", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HexAddressString_IsAccepted()
    {
        var configuration = Config(("Sensors:Emg:Channels:0:Site", "calf"), ("Sensors:Temperature:Chip", "MCP9808"), ("Sensors:Temperature:Address", "0x19"));

        var options = SensorsOptionsValidator.Load(configuration);

        Assert.Equal(0x19, options.Temperature.Address);
    }

    [Fact]
    public void Load_NoSensorsSection_SaysWhichSectionIsMissing()
    {
        var ex = Assert.Throws<SensorsConfigurationException>(() => SensorsOptionsValidator.Load(Config(("Logging:Level", "Info"))));

        Assert.Contains("'Sensors'", ex.Message, StringComparison.Ordinal);
    }
}
