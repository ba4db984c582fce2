using System.Buffers.Binary;
using System.Numerics;
using CrampSense.Sensors.Simulated;
using Iot.Device.Imu;
using Xunit;

namespace CrampSense.Sensors.Tests.Simulated;

/// <summary>The fake against the real Iot.Device.Bindings 4.2.0 Mpu9250 class, magnetometer included.</summary>
public class SimulatedMpu9250Tests
{
    private const float OneLsbMicroTesla = 0.6f; // 14-bit output (AK8963 datasheet §6.4.1)

    [Fact]
    public void Binding_ReadsTheMagnetometerThroughTheI2cMaster_InMicroTeslaInTheMpuAxes()
    {
        var chip = new SimulatedMpu9250();
        chip.Magnetometer.MagneticFieldMicroTesla = new Vector3(30, -12, 45);
        var mpu = new Mpu9250(chip, shouldDispose: false);

        var field = mpu.ReadMagnetometerWithoutCorrection(waitForData: true);

        // The binding maps the AK8963 axes onto the accelerometer's: (Y, X, −Z) (RM-MPU-9250A-00 §4 figure).
        Assert.Equal(-12f, field.X, OneLsbMicroTesla);
        Assert.Equal(30f, field.Y, OneLsbMicroTesla);
        Assert.Equal(-45f, field.Z, OneLsbMicroTesla);
    }

    [Fact]
    public void Magnetometer_FuseRomIsReadableOnlyInFuseRomAccessMode()
    {
        var magnetometer = new SimulatedAk8963 { SensitivityAdjustment = (0xB0, 0x80, 0x40) };
        Span<byte> asa = stackalloc byte[3];

        magnetometer.Write([SimulatedAk8963.SensitivityAdjustmentX]);
        magnetometer.Read(asa);
        Assert.Equal(new byte[] { 0, 0, 0 }, asa.ToArray());

        magnetometer.Write([SimulatedAk8963.Control1, 0x0F]); // MODE = fuse ROM access (datasheet §8.3.5)
        magnetometer.Write([SimulatedAk8963.SensitivityAdjustmentX]);
        magnetometer.Read(asa);
        Assert.Equal(new byte[] { 0xB0, 0x80, 0x40 }, asa.ToArray());
    }

    [Fact]
    public void Magnetometer_RawOutputIsTheFieldDividedByTheFuseRomAdjustment()
    {
        // ASA 0xB0: adjustment (176 − 128) / 256 + 1 = 1.1875 (datasheet §8.3.11); 71.25 µT reads 60 µT raw.
        var magnetometer = new SimulatedAk8963
        {
            SensitivityAdjustment = (0xB0, 0x80, 0x80),
            MagneticFieldMicroTesla = new Vector3(71.25f, 0, 0),
        };
        Span<byte> data = stackalloc byte[6];

        magnetometer.Write([SimulatedAk8963.Control1, 0x01]); // single measurement, 14-bit
        magnetometer.Write([SimulatedAk8963.MagneticXLow]);
        magnetometer.Read(data);

        Assert.Equal(100, BinaryPrimitives.ReadInt16LittleEndian(data)); // 60 µT / 0.6 µT per LSB
        Assert.Equal(0, magnetometer.Mode);                 // single measurement returns to power-down
    }

    [Fact]
    public void Fifo_HoldsThe512BytesOfTheMpu9250()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var chip = new SimulatedMpu9250(timeProvider: clock);
        chip.Write([SimulatedMpu6050.PowerManagement1, 0x01]);
        chip.Write([SimulatedMpu6050.SampleRateDivider, 9]);
        chip.Write([SimulatedMpu6050.Configuration, 3]);
        chip.Write([SimulatedMpu6050.FifoEnable, 0x78]);
        chip.Write([SimulatedMpu6050.UserControl, SimulatedMpu6050.UserControlFifoEnable]);

        clock.Advance(TimeSpan.FromSeconds(1));
        var count = new byte[2];
        chip.WriteRead([SimulatedMpu6050.FifoCountHigh], count);

        Assert.Equal(SimulatedMpu9250.FifoBytes, (count[0] << 8) | count[1]);
        Assert.Equal(512, chip.FifoCapacity);
    }
}
