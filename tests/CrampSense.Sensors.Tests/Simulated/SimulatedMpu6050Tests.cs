using System.Buffers.Binary;
using System.Numerics;
using CrampSense.Sensors.Simulated;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Sensors.Tests.Simulated;

public class SimulatedMpu6050Tests
{
    private const int SampleBytes = 12; // accelerometer 6 + gyroscope 6 (FIFO_EN 0x78)

    /// <summary>Wakes the chip and starts its FIFO with accelerometer and gyroscope at 1 kHz / (1 + divider).</summary>
    private static void StartFifo(SimulatedMpu6050 chip, byte divider = 9, byte dlpf = 3)
    {
        Write(chip, SimulatedMpu6050.PowerManagement1, 0x01);
        Write(chip, SimulatedMpu6050.SampleRateDivider, divider);
        Write(chip, SimulatedMpu6050.Configuration, dlpf);
        Write(chip, SimulatedMpu6050.FifoEnable, 0x78);
        Write(chip, SimulatedMpu6050.UserControl, SimulatedMpu6050.UserControlFifoEnable | SimulatedMpu6050.UserControlFifoReset);
    }

    private static void Write(SimulatedMpu6050 chip, byte register, byte value) => chip.Write([register, value]);

    private static byte[] Read(SimulatedMpu6050 chip, byte register, int length)
    {
        var data = new byte[length];
        chip.WriteRead([register], data);
        return data;
    }

    private static int Count(SimulatedMpu6050 chip)
    {
        var count = Read(chip, SimulatedMpu6050.FifoCountHigh, 2);
        return (count[0] << 8) | count[1];
    }

    [Fact]
    public void Fifo_Running_GainsOneSamplePerPeriodOfTheClock()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip); // 1 kHz / 10 = 100 Hz

        clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(0, Count(chip));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(SampleBytes, Count(chip));
        clock.Advance(TimeSpan.FromMilliseconds(95));
        Assert.Equal(10 * SampleBytes, Count(chip));
    }

    [Fact]
    public void Fifo_LowPassFilterOff_SamplesAtEightKilohertzOverTheDivider()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip, divider: 79, dlpf: 0); // 8 kHz / 80 = 100 Hz (RM-MPU-6000A p. 12)

        clock.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(5 * SampleBytes, Count(chip));
    }

    [Fact]
    public void Fifo_BurstRead_ReturnsEachSampleInRegisterOrderAtItsOwnTime()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetTimestamp();
        var chip = new SimulatedMpu6050(timeProvider: clock)
        {
            // x in g = seconds since the start: each sample says when it was taken.
            AccelerationAtTimestamp = t => new Vector3((t - start) / (float)clock.TimestampFrequency, 0.5f, -1),
            AngularRateDegreesPerSecond = new Vector3(10, 0, -20),
        };
        StartFifo(chip);
        clock.Advance(TimeSpan.FromMilliseconds(30));

        var count = Count(chip);
        var burst = Read(chip, SimulatedMpu6050.FifoReadWrite, count);

        Assert.Equal(3 * SampleBytes, count);
        for (var i = 0; i < 3; i++)
        {
            var sample = burst.AsSpan(i * SampleBytes);
            Assert.Equal((i + 1) * 0.010 * 16384, BinaryPrimitives.ReadInt16BigEndian(sample), 0.5);        // ACCEL_X: 10, 20, 30 ms
            Assert.Equal(8192, BinaryPrimitives.ReadInt16BigEndian(sample[2..]));                           // ACCEL_Y 0.5 g
            Assert.Equal(-16384, BinaryPrimitives.ReadInt16BigEndian(sample[4..]));                          // ACCEL_Z −1 g
            Assert.Equal(1310, BinaryPrimitives.ReadInt16BigEndian(sample[6..]));                            // GYRO_X 10 °/s × 131
            Assert.Equal(-2620, BinaryPrimitives.ReadInt16BigEndian(sample[10..]));                          // GYRO_Z
        }

        Assert.Equal(0, Count(chip));
    }

    [Fact]
    public void Fifo_ReadWhenEmpty_ReturnsTheLastByteAgain()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock) { AngularRateDegreesPerSecond = new Vector3(0, 0, 1) };
        StartFifo(chip);
        clock.Advance(TimeSpan.FromMilliseconds(10));

        var burst = Read(chip, SimulatedMpu6050.FifoReadWrite, SampleBytes + 2);

        Assert.Equal(burst[SampleBytes - 1], burst[SampleBytes]);
        Assert.Equal(burst[SampleBytes - 1], burst[SampleBytes + 1]);
    }

    [Fact]
    public void Fifo_Overflow_KeepsTheNewestBytesAndSetsTheOverflowBitUntilIntStatusIsRead()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip);

        clock.Advance(TimeSpan.FromSeconds(1)); // 100 samples = 1200 bytes into 1024

        Assert.Equal(SimulatedMpu6050.Mpu6050FifoBytes, Count(chip));
        Assert.Equal(1200 - 1024, chip.FifoBytesLost);
        Assert.NotEqual(0, Read(chip, SimulatedMpu6050.InterruptStatus, 1)[0] & SimulatedMpu6050.FifoOverflowInterrupt);
        Assert.Equal(0, Read(chip, SimulatedMpu6050.InterruptStatus, 1)[0] & SimulatedMpu6050.FifoOverflowInterrupt);
    }

    [Fact]
    public void Fifo_LongGap_StillHoldsOnlyOneFifoOfTheNewestSamples()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip);

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(SimulatedMpu6050.Mpu6050FifoBytes, Count(chip));
        Assert.Equal(360_000, chip.FifoSamplesWritten);
    }

    [Fact]
    public void Fifo_Reset_EmptiesItAndSamplingGoesOn()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip);
        clock.Advance(TimeSpan.FromMilliseconds(55));

        Write(chip, SimulatedMpu6050.UserControl, SimulatedMpu6050.UserControlFifoEnable | SimulatedMpu6050.UserControlFifoReset);
        Assert.Equal(0, Count(chip));
        Assert.Equal(SimulatedMpu6050.UserControlFifoEnable, chip[SimulatedMpu6050.UserControl]); // FIFO_RESET self-clears
        clock.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(SampleBytes, Count(chip)); // the sample at 60 ms, on the grid
    }

    [Fact]
    public void Fifo_AsleepOrDisabled_StaysEmpty()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip);
        Write(chip, SimulatedMpu6050.PowerManagement1, 0x40); // SLEEP
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, Count(chip));

        Write(chip, SimulatedMpu6050.PowerManagement1, 0x01);
        Write(chip, SimulatedMpu6050.UserControl, 0); // FIFO operation off
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, Count(chip));
    }

    [Fact]
    public void DeviceReset_EmptiesTheFifoAndStopsIt()
    {
        var clock = new FakeTimeProvider();
        var chip = new SimulatedMpu6050(timeProvider: clock);
        StartFifo(chip);
        clock.Advance(TimeSpan.FromMilliseconds(100));

        Write(chip, SimulatedMpu6050.PowerManagement1, 0x80);
        clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, Count(chip));
        Assert.True(chip.Sleeping);
    }
}
