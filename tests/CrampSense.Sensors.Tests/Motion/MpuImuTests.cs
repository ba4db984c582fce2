using System.Numerics;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Simulated;
using Xunit;

namespace CrampSense.Sensors.Tests.Motion;

public class MpuImuTests
{
    private const float OneLsbG = 1f / 16384; // ±2 g: 16384 LSB/g (PS-MPU-6000A §6.2, AFS_SEL = 0)

    [Fact]
    public void TryRead_Acceleration_InGWithinOneLsbAtTwoG()
    {
        var chip = new SimulatedMpu6050 { AccelerationG = new Vector3(0.5f, -0.25f, 0.98f) };
        using var imu = new Mpu6050Imu(chip);

        Assert.True(imu.TryRead(0, out var reading, out _));

        Assert.Equal(0.5f, reading.AccelerationG.X, OneLsbG);
        Assert.Equal(-0.25f, reading.AccelerationG.Y, OneLsbG);
        Assert.Equal(0.98f, reading.AccelerationG.Z, OneLsbG);
    }

    [Fact]
    public void TryRead_AfterConstruction_ChipIsAwakeAtTwoGAndWhoAmIWasChecked()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Imu(chip);

        Assert.True(imu.TryRead(0, out _, out _));

        Assert.False(chip.Sleeping);                                 // PWR_MGMT_1 SLEEP cleared
        Assert.Equal(16384, chip.AccelerometerLsbPerG);             // ACCEL_CONFIG AFS_SEL = 0
    }

    [Fact]
    public void TryRead_AngularRate_InDegreesPerSecond()
    {
        var chip = new SimulatedMpu6050 { AngularRateDegreesPerSecond = new Vector3(10, -100, 0) };
        using var imu = new Mpu6050Imu(chip);

        Assert.True(imu.TryRead(0, out var reading, out _));

        // The datasheet gives 131 LSB/(°/s) at ±250 °/s (PS-MPU-6000A §6.1); the binding scales by 250/32768
        // (= 1/131.072), 0.055 % low — within the datasheet's ±3 % sensitivity tolerance, so allow 0.1 %.
        Assert.Equal(10f, reading.AngularRateDegreesPerSecond.X, 0.01f + (1f / 131));
        Assert.Equal(-100f, reading.AngularRateDegreesPerSecond.Y, 0.1f + (1f / 131));
    }

    [Fact]
    public void TryRead_WrongWhoAmI_ReportsChipMissing()
    {
        var chip = new SimulatedMpu6050 { WhoAmI = 0x70 };
        using var imu = new Mpu6050Imu(chip, "i2c1@0x68");

        Assert.False(imu.TryRead(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChipMissing, fault.Kind);
        Assert.Equal("MPU6050", fault.Chip);
        Assert.Equal("i2c1@0x68", fault.Bus);
    }

    [Fact]
    public void TryRead_ChipLosesPowerAndReturns_FaultsThenReinitialisesAndReadsAgain()
    {
        var chip = new SimulatedMpu6050 { AccelerationG = new Vector3(0, 0, 1) };
        using var imu = new Mpu6050Imu(chip);
        Assert.True(imu.TryRead(0, out _, out _));

        chip.Present = false;
        Assert.False(imu.TryRead(1, out _, out var fault));
        Assert.Equal(SensorFaultKind.BusError, fault.Kind);

        chip.PowerCycle(); // comes back asleep, as after a real power loss
        chip.Present = true;
        Assert.True(imu.TryRead(2, out var reading, out _));

        Assert.False(chip.Sleeping);
        Assert.Equal(1f, reading.AccelerationG.Z, OneLsbG);
    }

    [Fact]
    public void TryRead_Mpu9250_AccelerationInGAndRateInDegreesPerSecond()
    {
        var chip = new SimulatedMpu9250
        {
            AccelerationG = new Vector3(-0.125f, 0.75f, 1.5f),
            AngularRateDegreesPerSecond = new Vector3(0, 45, -200),
        };
        using var imu = new Mpu9250Imu(chip);

        Assert.True(imu.TryRead(0, out var reading, out _));

        Assert.Equal(-0.125f, reading.AccelerationG.X, OneLsbG);
        Assert.Equal(0.75f, reading.AccelerationG.Y, OneLsbG);
        Assert.Equal(1.5f, reading.AccelerationG.Z, OneLsbG);
        Assert.Equal(45f, reading.AngularRateDegreesPerSecond.Y, 0.05f + (1f / 131));
        Assert.Equal(-200f, reading.AngularRateDegreesPerSecond.Z, 0.2f + (1f / 131));
    }

    [Fact]
    public void TryRead_Mpu9250_WakesTheChipAndChecksTheAk8963ThroughTheI2cMaster()
    {
        var chip = new SimulatedMpu9250();
        using var imu = new Mpu9250Imu(chip);

        Assert.True(imu.TryRead(0, out _, out _));

        Assert.False(chip.Sleeping);
        Assert.Equal(16384, chip.AccelerometerLsbPerG);
        Assert.NotEqual(0, chip[SimulatedMpu9250.UserControl] & 0x20);        // I2C_MST_EN
        Assert.True(chip.MasterTransactions >= 2);                            // CNTL1 write + WIA read at least
        Assert.Equal(1, chip.Magnetometer[SimulatedAk8963.Status1] & 0x01);  // the final single measurement ran
    }

    [Theory]
    [InlineData(0x68)] // an MPU-6050 wired where an MPU-9250 is configured
    [InlineData(0x70)] // an MPU-6500 (no magnetometer)
    public void TryRead_Mpu9250WithWrongWhoAmI_ReportsChipMissing(byte whoAmI)
    {
        var chip = new SimulatedMpu9250 { WhoAmI = whoAmI };
        using var imu = new Mpu9250Imu(chip, "i2c1@0x68");

        Assert.False(imu.TryRead(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChipMissing, fault.Kind);
        Assert.Equal("MPU9250", fault.Chip);
        Assert.Equal("i2c1@0x68", fault.Bus);
        Assert.Contains("0x71", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_Mpu9250WhoseMagnetometerDoesNotAnswer_ReportsChipMissingNamingTheAk8963()
    {
        var chip = new SimulatedMpu9250();
        chip.Magnetometer.Present = false;
        using var imu = new Mpu9250Imu(chip);

        Assert.False(imu.TryRead(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChipMissing, fault.Kind);
        Assert.Contains("AK8963", fault.Message, StringComparison.Ordinal);
        Assert.Equal(1, chip[SimulatedMpu9250.I2cMasterStatus] & 0x01); // I2C_SLV0_NACK
    }

    [Fact]
    public void TryRead_Mpu9250WithWrongMagnetometerId_ReportsChipMissing()
    {
        var chip = new SimulatedMpu9250();
        chip.Magnetometer.WhoAmI = 0x00;
        using var imu = new Mpu9250Imu(chip);

        Assert.False(imu.TryRead(0, out _, out var fault));

        Assert.Equal(SensorFaultKind.ChipMissing, fault.Kind);
        Assert.Contains("0x48", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_Mpu9250MagnetometerReturns_ReadsAgain()
    {
        var chip = new SimulatedMpu9250 { AccelerationG = new Vector3(0, 0, -1) };
        chip.Magnetometer.Present = false;
        using var imu = new Mpu9250Imu(chip);
        Assert.False(imu.TryRead(0, out _, out _));

        chip.Magnetometer.Present = true;

        Assert.True(imu.TryRead(1, out var reading, out _));
        Assert.Equal(-1f, reading.AccelerationG.Z, OneLsbG);
    }

    [Fact]
    public void Dispose_DisposesTheI2cDevice()
    {
        var chip = new SimulatedMpu6050();
        var imu = new Mpu6050Imu(chip);

        imu.Dispose();
        imu.Dispose();

        Assert.True(chip.IsDisposed);
    }
}
