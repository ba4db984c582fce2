using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Temperature;

namespace CrampSense.Sensors;

/// <summary>
/// Opens the buses the configured chips sit on, so one rig builder (<see cref="SensorComposition.Build(SensorsOptions, ISensorBusFactory, TimeProvider)"/>)
/// serves the Pi (<see cref="DeviceBusFactory"/>: /dev/spidev, /dev/i2c, GPIO, sysfs PWM and 1-Wire) and the
/// bus-level chip simulators (<see cref="Simulated.SimulatedBusFactory"/>). The builder owns what it is given and
/// disposes it with the rig (dotnet/iot's convention: the binding disposes its bus).
/// </summary>
public interface ISensorBusFactory
{
    /// <summary>The SPI device of the EMG ADC (<c>Sensors:Emg</c>, validated).</summary>
    SpiDevice OpenSpi(EmgOptions emg);

    /// <summary>The I2C device of <paramref name="chip"/> (e.g. MLX90614, MPU6050) at <paramref name="address"/> on bus <paramref name="busId"/>.</summary>
    I2cDevice OpenI2c(string chip, int busId, int address);

    /// <summary>The DS18B20 on the kernel's 1-Wire bus (<c>Sensors:Temperature</c>).</summary>
    Ds18b20Thermometer OpenDs18b20(TemperatureOptions temperature);

    /// <summary>The hardware PWM channel of the haptic motor (<c>Sensors:Haptics:PwmChip</c> = <paramref name="chip"/>).</summary>
    PwmChannel OpenPwm(HapticsOptions haptics, int chip);

    /// <summary>The GPIO controller of an on/off haptic motor.</summary>
    GpioController OpenGpio();

    /// <summary>How fault reports name the SPI bus, e.g. <c>spi0.0</c>.</summary>
    string SpiBusName(EmgOptions emg);
}
