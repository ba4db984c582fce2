using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors;

/// <summary>The Pi's buses: the only place where they are opened (SpiDevice.Create, I2cDevice.Create, PwmChannel.Create, new GpioController).</summary>
public sealed class DeviceBusFactory : ISensorBusFactory
{
    public SpiDevice OpenSpi(EmgOptions emg)
    {
        ArgumentNullException.ThrowIfNull(emg);
        return SpiDevice.Create(new SpiConnectionSettings(emg.SpiBus, emg.ChipSelect)
        {
            ClockFrequency = emg.ClockHz,
            Mode = SpiMode.Mode0, // DS21295 §6.1: SPI modes 0,0 and 1,1 are supported
        });
    }

    public string SpiBusName(EmgOptions emg)
    {
        ArgumentNullException.ThrowIfNull(emg);
        return $"spi{emg.SpiBus}.{emg.ChipSelect}";
    }

    public I2cDevice OpenI2c(string chip, int busId, int address) => I2cDevice.Create(new I2cConnectionSettings(busId, address));

    public Ds18b20Thermometer OpenDs18b20(TemperatureOptions temperature)
    {
        ArgumentNullException.ThrowIfNull(temperature);
        var id = temperature.OneWireDeviceId is { Length: > 0 } configured
            ? configured
            : FindFirstDs18b20() ?? throw new IOException(
                $"No DS18B20 (28-*) under {SensorComposition.OneWireDevicesPath}: check the 4.7 kΩ pull-up from DQ to 3V3 and dtoverlay=w1-gpio,gpiopin=4.");
        return new Ds18b20Thermometer(temperature.OneWireBusId, id);
    }

    public PwmChannel OpenPwm(HapticsOptions haptics, int chip)
    {
        ArgumentNullException.ThrowIfNull(haptics);
        return PwmChannel.Create(chip, haptics.PwmChannel, haptics.PwmFrequencyHz, 0);
    }

    public GpioController OpenGpio() => new();

    /// <summary>The first DS18B20 id (family code 0x28) the kernel lists, or null.</summary>
    internal static string? FindFirstDs18b20() =>
        Directory.Exists(SensorComposition.OneWireDevicesPath)
            ? Directory.EnumerateDirectories(SensorComposition.OneWireDevicesPath, "28-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
}
