using System.Numerics;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Testing.Signals;
using Microsoft.Extensions.Time.Testing;
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

    private static SensorPoll Poll(FakeTimeProvider clock, long start) =>
        new(clock.GetTimestamp(), clock.TimestampFrequency, (clock.GetTimestamp() - start) / (double)clock.TimestampFrequency);

    private static List<(long Ticks, ImuReading Reading)> TakeAll(TimedReadings<ImuReading> readings, long fromTicks, long toTicks, long step)
    {
        var taken = new List<(long, ImuReading)>();
        for (var t = fromTicks; t <= toTicks; t += step)
        {
            if (readings.TryTakeDue(t, out var reading))
            {
                taken.Add((t, reading));
            }
        }

        return taken;
    }

    [Fact]
    public void TryReadFifo_FirstPoll_SetsTheChipTo100HzIntoItsFifoAndPublishesNothing()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        using var imu = new Mpu6050Imu(chip);
        var readings = new TimedReadings<ImuReading>(128);

        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        Assert.Equal(0, readings.Published);
        Assert.Equal(100, imu.SampleRateHz);
        Assert.Equal(9, chip[SimulatedMpu6050.SampleRateDivider]);
        Assert.Equal(3, chip[SimulatedMpu6050.Configuration]);                  // DLPF 44 Hz, 1 kHz output
        Assert.Equal(0x78, chip[SimulatedMpu6050.FifoEnable]);                  // gyroscope X/Y/Z, accelerometer
        Assert.Equal(0x40, chip[SimulatedMpu6050.UserControl] & 0x40);          // FIFO operation on
        Assert.False(chip.Sleeping);
    }

    [Fact]
    public void TryReadFifo_Burst_PublishesEverySampleWithItsOwnTimeNewestAtThePoll()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetTimestamp();
        var chip = new SimulatedMpu6050(timeProvider: clock)
        {
            // x in g = seconds since the start, so each reading says when the chip took it.
            AccelerationAtTimestamp = t => new Vector3((t - start) / (float)clock.TimestampFrequency, 0, 1),
            AngularRateDegreesPerSecond = new Vector3(0, 50, 0),
        };
        using var imu = new Mpu6050Imu(chip);
        var readings = new TimedReadings<ImuReading>(128);
        Assert.True(imu.TryReadFifo(Poll(clock, start), readings, out _));
        var configured = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(imu.TryReadFifo(Poll(clock, start), readings, out _));

        var period = clock.TimestampFrequency / 100;
        var taken = TakeAll(readings, configured, clock.GetTimestamp(), period);
        Assert.Equal(10, readings.Published);
        Assert.Equal(10, taken.Count);
        Assert.Equal(0, readings.Skipped);
        foreach (var (ticks, reading) in taken)
        {
            // Taken at its own due time: the reading stamped t holds the acceleration the chip sampled at t.
            var seconds = (ticks - start) / (float)clock.TimestampFrequency;
            Assert.Equal(seconds, reading.AccelerationG.X, OneLsbG);
            Assert.Equal(1f, reading.AccelerationG.Z, OneLsbG);
            Assert.Equal(50f, reading.AngularRateDegreesPerSecond.Y, 1f / 131);
        }

        Assert.Equal(clock.GetTimestamp(), taken[^1].Ticks);
    }

    [Fact]
    public void TryReadFifo_SampleRate50Hz_DividerNineteenAndFiveReadingsPerBurst()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        using var imu = new Mpu6050Imu(chip, sampleRateHz: 50);
        var readings = new TimedReadings<ImuReading>(128);
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        Assert.Equal(19, chip[SimulatedMpu6050.SampleRateDivider]);
        Assert.Equal(5, readings.Published);
    }

    [Fact]
    public void TryReadFifo_Overflow_ResetsTheFifoReportsNoDataAndTheNextBurstReadsAgain()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        using var imu = new Mpu6050Imu(chip, "i2c1@0x68");
        var readings = new TimedReadings<ImuReading>(128);
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        clock.Advance(TimeSpan.FromSeconds(2)); // 200 samples: 2400 bytes into 1024, the oldest lost mid-sample
        Assert.False(imu.TryReadFifo(Poll(clock, 0), readings, out var fault));

        Assert.Equal(SensorFaultKind.NoData, fault.Kind);
        Assert.Equal("MPU6050", fault.Chip);
        Assert.Equal("i2c1@0x68", fault.Bus);
        Assert.Contains("overflow", fault.Message, StringComparison.Ordinal);
        Assert.Equal(1, imu.FifoResets);
        Assert.Equal(0, readings.Published); // nothing from a misaligned FIFO
        Assert.Equal(0, chip.FifoCount);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));
        Assert.Equal(10, readings.Published);
    }

    [Fact]
    public void TryReadFifo_CountNotWholeSamples_ResetsAndReportsNoData()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        using var imu = new Mpu6050Imu(chip);
        var readings = new TimedReadings<ImuReading>(128);
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));
        clock.Advance(TimeSpan.FromMilliseconds(30));
        chip.WriteRead([SimulatedMpu6050.FifoReadWrite], new byte[5]); // someone else took 5 bytes

        Assert.False(imu.TryReadFifo(Poll(clock, 0), readings, out var fault));

        Assert.Equal(SensorFaultKind.NoData, fault.Kind);
        Assert.Contains("31", fault.Message, StringComparison.Ordinal);
        Assert.Equal(1, imu.FifoResets);
    }

    [Fact]
    public void TryReadFifo_ChipLosesPowerAndReturns_BusErrorThenSetsItUpAgain()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        using var imu = new Mpu6050Imu(chip);
        var readings = new TimedReadings<ImuReading>(128);
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        chip.Present = false;
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(imu.TryReadFifo(Poll(clock, 0), readings, out var fault));
        Assert.Equal(SensorFaultKind.BusError, fault.Kind);

        chip.PowerCycle();
        chip.Present = true;
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _)); // set-up again
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        Assert.Equal(10, readings.Published);
        Assert.Equal(0x78, chip[SimulatedMpu6050.FifoEnable]);
    }

    [Fact]
    public void TryReadFifo_Mpu9250_KeepsItsI2cMasterOnAndReadsBursts()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu9250(timeProvider: clock) { AccelerationG = new Vector3(0, 0, -1) };
        using var imu = new Mpu9250Imu(chip);
        var readings = new TimedReadings<ImuReading>(128);
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(imu.TryReadFifo(Poll(clock, 0), readings, out _));

        Assert.NotEqual(0, chip[SimulatedMpu6050.UserControl] & 0x20); // I2C_MST_EN kept
        Assert.Equal(10, readings.Published);
        Assert.True(readings.TryTakeDue(clock.GetTimestamp(), out var newest));
        Assert.Equal(-1f, newest.AccelerationG.Z, OneLsbG);
        Assert.Equal(42, imu.MaximumBurstReadings); // 512 / 12
    }

    [Fact]
    public void TryReadFifo_SteadyState_AllocatesNothing()
    {
        var imus = new List<MpuImu>();
        try
        {
            var bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
            {
                var clock = new SteppedClock();
                var imu = new Mpu6050Imu(new SimulatedMpu6050(timeProvider: clock));
                imus.Add(imu);
                var readings = new TimedReadings<ImuReading>(128);
                var step = clock.TimestampFrequency / 10;
                imu.TryReadFifo(new SensorPoll(clock.Now, clock.TimestampFrequency, 0), readings, out _);
                return () =>
                {
                    for (var burst = 0; burst < 50; burst++)
                    {
                        clock.Now += step;
                        imu.TryReadFifo(new SensorPoll(clock.Now, clock.TimestampFrequency, 0), readings, out _);
                        readings.TryTakeDue(clock.Now, out _);
                    }
                };
            });

            Assert.Equal(0, bytes);
        }
        finally
        {
            imus.ForEach(i => i.Dispose());
        }
    }

    /// <summary>A clock set by hand, with nothing behind it that could allocate while it is read.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        public long Now { get; set; }

        public override long GetTimestamp() => Now;
    }
}
