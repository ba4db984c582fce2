using CrampSense.Sensors.Configuration;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Motion;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Sensors.Temperature;
using CrampSense.Testing.Signals;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Sensors.Tests.Sampling;

public class AcquisitionEngineTests
{
    private const double Vref = 3.3;
    private const double Gain = 200;
    private const double Rate = 2000;
    private static readonly TimeSpan Period = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / Rate));

    /// <summary>Resting EMG: 20 µV-ish noise plus a 60 Hz component, around Vs/2: several codes of variation.</summary>
    private static double LiveInput(int channel, long n) => (Vref / 2) + (Gain * 0.2e-3 * Math.Sin((2 * Math.PI * 60 * n / Rate) + channel));

    private static (AcquisitionEngine Engine, SimulatedMcp3xxx Spi, FakeTimeProvider Clock, SensorStatusLog Status) Create(
        Func<int, long, double>? input = null, int channels = 2, int ringCapacity = 4096, PolledSensorWorker<float>? temperature = null, FakeTimeProvider? clock = null,
        AcquisitionSettings? settings = null, PolledSensorWorker<ImuReading>? motion = null)
    {
        clock ??= new FakeTimeProvider();
        var spi = new SimulatedMcp3xxx(10, Vref, input ?? LiveInput);
        var map = Enumerable.Range(0, channels).Select(c => new EmgChannel(c, $"site{c}", Gain)).ToArray();
        var adc = new Mcp3008EmgAdc(spi, Vref, map);
        var status = new SensorStatusLog();
        var engine = new AcquisitionEngine(adc, settings ?? new AcquisitionSettings { EmgRateHz = Rate, RingCapacity = ringCapacity }, clock, status, temperature, motion);
        engine.ResetClock(clock.GetTimestamp());
        return (engine, spi, clock, status);
    }

    private static List<(long Index, double Time, float[] Mv, bool HasTemperature)> DrainFrames(AcquisitionEngine engine)
    {
        var list = new List<(long, double, float[], bool)>();
        var frame = engine.Layout.CreateFrame();
        while (engine.Frames.TryRead(frame, out var index))
        {
            list.Add((index, frame.TimeSeconds, frame.EmgMillivolts.ToArray(), frame.HasSkinTemperature));
        }

        return list;
    }

    [Fact]
    public void StepAndHandOff_SteadyState_AllocateNothing()
    {
        // The live frame path per slot: pacing, 4 ADC reads through the binding, lead-off, the ring both ways.
        var engines = new List<AcquisitionEngine>();
        try
        {
            var bytes = SteadyStateAllocation.BytesOfSecondRun(() =>
            {
                var (engine, _, clock, _) = Create(channels: 4, ringCapacity: 1024);
                engines.Add(engine);
                var frame = engine.Layout.CreateFrame();
                void Run(int slots)
                {
                    for (var n = 0; n < slots; n++)
                    {
                        Assert.True(engine.Step(clock.GetTimestamp()));
                        clock.Advance(Period);
                        Assert.True(engine.Frames.TryRead(frame, out _));
                    }
                }

                Run(2 * engine.LeadOffWindowSamples); // past the first lead-off verdicts
                return () => Run(4_000);
            });

            Assert.Equal(0, bytes);
        }
        finally
        {
            engines.ForEach(e => e.Dispose());
        }
    }

    [Fact]
    public void Step_OnTime_EveryFrameCarriesItsSlotTimeAndTheMillivolts()
    {
        var (engine, _, clock, _) = Create();
        using var ownedEngine = engine;

        for (var n = 0; n < 100; n++)
        {
            Assert.True(engine.Step(clock.GetTimestamp()));
            clock.Advance(Period);
        }

        var frames = DrainFrames(engine);
        Assert.Equal(100, frames.Count);
        for (var n = 0; n < 100; n++)
        {
            Assert.Equal(n, frames[n].Index);
            Assert.Equal(n / Rate, frames[n].Time, 1e-12);
            var lsb = Vref / 1024 / Gain * 1000;
            Assert.Equal((LiveInput(1, n) - (Vref / 2)) / Gain * 1000, frames[n].Mv[1], lsb);
        }

        var report = engine.Statistics.Snapshot();
        Assert.Equal(100, report.Samples);
        Assert.Equal(0, report.DroppedSlots);
        Assert.Equal(Rate, report.MeasuredRateHz, 1e-6);
        Assert.Equal(0, report.JitterMicroseconds, 1e-9);
    }

    private static AcquisitionSettings Batched(double tolerancePeriods = 1) => new()
    {
        EmgRateHz = Rate,
        RingCapacity = 4096,
        Pacing = SamplingPacing.Batch,
        BatchPeriod = TimeSpan.FromMilliseconds(5), // 10 slots at 2 kHz
        LatenessTolerancePeriods = tolerancePeriods,
    };

    [Fact]
    public void StepBatch_WakingWhenEachBatchIsDue_ReadsItsSlotsStampedWithTheirSlotTimes()
    {
        var (engine, spi, clock, _) = Create(settings: Batched());
        using var ownedEngine = engine;
        Assert.Equal(10, engine.BatchSlots);

        var perBatch = new List<int>();
        for (var batch = 0; batch < 10; batch++)
        {
            clock.Advance(TimeSpan.FromTicks(engine.TicksUntilNextBatch(clock.GetTimestamp())));
            perBatch.Add(engine.StepBatch());
        }

        Assert.Equal(Enumerable.Repeat(10, 10), perBatch);
        var frames = DrainFrames(engine);
        Assert.Equal(Enumerable.Range(0, 100).Select(n => (long)n), frames.Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, 100).Select(n => n / Rate), frames.Select(f => f.Time));
        Assert.Equal(200, spi.Transfers); // 2 channels × 100 slots, no extra reads
        var report = engine.Statistics.Snapshot();
        Assert.Equal(0, report.DroppedSlots);
        // By design the first slot of a batch is read (10 − 1) × 500 µs after its slot time.
        Assert.Equal(4500, report.MaxLatenessMicroseconds, 1e-6);
    }

    [Fact]
    public void TicksUntilNextBatch_AfterABatch_IsOneBatchPeriod()
    {
        var (engine, _, clock, _) = Create(settings: Batched());
        using var ownedEngine = engine;

        Assert.Equal(TimeSpan.FromMilliseconds(4.5).Ticks, engine.TicksUntilNextBatch(clock.GetTimestamp())); // slots 0–9: the 10th is due at 4.5 ms
        clock.Advance(TimeSpan.FromMilliseconds(4.5));
        engine.StepBatch();

        Assert.Equal(TimeSpan.FromMilliseconds(5).Ticks, engine.TicksUntilNextBatch(clock.GetTimestamp()));
    }

    [Fact]
    public void StepBatch_WakeUpOvershootWithinTheTolerance_DropsNothing()
    {
        var (engine, _, clock, _) = Create(settings: Batched());
        using var ownedEngine = engine;

        clock.Advance(TimeSpan.FromMilliseconds(4.5) + TimeSpan.FromMilliseconds(0.9)); // a sleep's ms rounding
        Assert.Equal(11, engine.StepBatch()); // slots 0–9 and slot 10, due at 5 ms

        var report = engine.Statistics.Snapshot();
        Assert.Equal(0, report.DroppedSlots);
        Assert.Equal(11, report.Samples);
    }

    [Fact]
    public void StepBatch_BatchLateBeyondTheTolerance_DropsAndCountsTheOldestSlots()
    {
        var (engine, _, clock, _) = Create(settings: Batched());
        using var ownedEngine = engine;

        // Waking at 6 ms (a 1.5 ms overshoot): the tolerance is one batch + 1 period = 5.5 ms, so slot 0 (6 ms
        // late) is dropped, slot 1 (5.5 ms late) too, and slots 2–12 (due 1.0–6.0 ms) are read.
        clock.Advance(TimeSpan.FromMilliseconds(6));
        Assert.Equal(11, engine.StepBatch());

        var frames = DrainFrames(engine);
        Assert.Equal(Enumerable.Range(2, 11).Select(n => (long)n), frames.Select(f => f.Index));
        Assert.Equal(2 / Rate, frames[0].Time, 1e-12);
        var report = engine.Statistics.Snapshot();
        Assert.Equal(2, report.DroppedSlots);
        Assert.Equal(1, report.Overruns);
    }

    [Fact]
    public void StepBatch_ThreadStalledForSeconds_ReadsOnlyTheSlotsWithinToleranceAndCountsTheRest()
    {
        var (engine, _, clock, _) = Create(settings: Batched());
        using var ownedEngine = engine;

        // At 2 s slot 4000 is due; slots 3990–4000 are less than 5.5 ms late, slots 0–3989 are dropped.
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(11, engine.StepBatch());
        Assert.Equal(3990, engine.Statistics.Snapshot().DroppedSlots);
    }

    [Fact]
    public void Step_BeforeTheSlotIsDue_ReadsNothing()
    {
        var (engine, spi, clock, _) = Create();
        using var ownedEngine = engine;
        engine.Step(clock.GetTimestamp());
        var transfers = spi.Transfers;

        clock.Advance(Period / 2);

        Assert.False(engine.Step(clock.GetTimestamp()));
        Assert.Equal(transfers, spi.Transfers);
        Assert.Equal(Period.Ticks / 2, engine.TicksUntilNextSlot(clock.GetTimestamp()));
    }

    [Fact]
    public void Step_ThreadWokeLateBeyondAStrictTolerance_MissedSlotsAreCountedAndLeaveAGap()
    {
        var (engine, _, clock, _) = Create(settings: new AcquisitionSettings { EmgRateHz = Rate, RingCapacity = 4096, LatenessTolerancePeriods = 1 });
        using var ownedEngine = engine;
        engine.Step(clock.GetTimestamp());

        clock.Advance(Period * 3.2); // slots 1 and 2 pass unread; slot 3 is current
        engine.Step(clock.GetTimestamp());
        clock.Advance(Period * 0.8);
        engine.Step(clock.GetTimestamp());

        var frames = DrainFrames(engine);
        Assert.Equal(new long[] { 0, 3, 4 }, frames.Select(f => f.Index));
        Assert.Equal(3 / Rate, frames[1].Time, 1e-12);
        var report = engine.Statistics.Snapshot();
        Assert.Equal(2, report.DroppedSlots);
        Assert.Equal(1, report.Overruns);
        Assert.Equal(3, report.Samples);
        Assert.Equal(0.2 / Rate * 1e6, report.MaxLatenessMicroseconds, 1e-3);
    }

    [Fact]
    public void Step_ThreadWokeLateWithinTheServiceDefaultTolerance_CatchesUpWithoutAGap()
    {
        var tolerance = new EmgOptions().LatenessTolerancePeriods;
        var (engine, _, clock, _) = Create(settings: new AcquisitionSettings { EmgRateHz = Rate, LatenessTolerancePeriods = tolerance });
        using var ownedEngine = engine;
        engine.Step(clock.GetTimestamp());

        clock.Advance(Period * 3.2); // slots 1–3 are due; a wake-up this late under load or after a GC pause
        while (engine.Step(clock.GetTimestamp()))
        {
        }

        var frames = DrainFrames(engine);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, frames.Select(f => f.Index));
        Assert.Equal(1 / Rate, frames[1].Time, 1e-12);
        var report = engine.Statistics.Snapshot();
        Assert.Equal(0, report.DroppedSlots);
        Assert.Equal(2.2 / Rate * 1e6, report.MaxLatenessMicroseconds, 1e-3);
    }

    [Fact]
    public void Step_SpiFailsThenRecovers_OneFaultRetriesWithBackoffAndFramesResume()
    {
        var (engine, spi, clock, status) = Create(channels: 1);
        using var ownedEngine = engine;
        engine.Step(clock.GetTimestamp());

        spi.TransferException = new IOException("spidev0.0: transfer failed");
        var attemptsBefore = spi.TransferAttempts;
        for (var n = 1; n <= 800; n++) // 400 ms
        {
            clock.Advance(Period);
            engine.Step(clock.GetTimestamp());
        }

        // Fails at 0.5 ms, retried 100 ms later (100.5 ms), then 200 ms later (300.5 ms); the next retry is
        // 400 ms later (700.5 ms): three attempts in the first 400 ms, not one per slot.
        Assert.Equal(3, spi.TransferAttempts - attemptsBefore);
        var opened = Assert.Single(status.Drain());
        Assert.Equal(SensorStatusChange.Faulted, opened.Change);
        Assert.Equal(new SensorFault("MCP3008", "spi0.0", -1, null, SensorFaultKind.BusError, "spidev0.0: transfer failed", 1 / Rate), opened.Fault);
        Assert.Equal(800, engine.Statistics.Snapshot().FaultedSlots);

        spi.TransferException = null;
        for (var n = 0; n < 1000; n++) // up to the next retry (400 ms after the third failure) and beyond
        {
            clock.Advance(Period);
            engine.Step(clock.GetTimestamp());
        }

        var recovered = Assert.Single(status.Drain());
        Assert.Equal(SensorStatusChange.Recovered, recovered.Change);
        var frames = DrainFrames(engine);
        Assert.Equal(0, frames[0].Index);
        Assert.Equal(1401, frames[1].Index); // first slot at or after the 700.5 ms retry; the gap stays visible
        Assert.Equal(1 + 800 + 1000, frames.Count + engine.Statistics.Snapshot().FaultedSlots);
    }

    [Fact]
    public void Step_OneChannelStuck_ReportsFlatForThatChannelAndKeepsTheOthers()
    {
        var (engine, _, clock, status) = Create(input: (ch, n) => ch == 1 ? 1.2 : LiveInput(ch, n));
        using var ownedEngine = engine;

        for (var n = 0; n < (int)Rate; n++) // 1 s: four lead-off windows
        {
            engine.Step(clock.GetTimestamp());
            clock.Advance(Period);
        }

        var fault = Assert.Single(status.Drain()).Fault;
        Assert.Equal(SensorFaultKind.Flat, fault.Kind);
        Assert.Equal(1, fault.Channel);
        Assert.Equal("site1", fault.Site);
        Assert.Equal((int)Rate, DrainFrames(engine).Count);
        Assert.Null(engine.LeadOffVerdict(0));
    }

    [Fact]
    public void Step_ElectrodeOffThenOn_RailedFaultOpensAndCloses()
    {
        var off = true;
        var (engine, _, clock, status) = Create(input: (ch, n) => off ? 0.0 : LiveInput(ch, n), channels: 1);
        using var ownedEngine = engine;

        for (var n = 0; n < 1000; n++)
        {
            engine.Step(clock.GetTimestamp());
            clock.Advance(Period);
        }

        off = false;
        for (var n = 0; n < 1000; n++)
        {
            engine.Step(clock.GetTimestamp());
            clock.Advance(Period);
        }

        var events = status.Drain();
        Assert.Equal(2, events.Count);
        Assert.Equal((SensorStatusChange.Faulted, SensorFaultKind.Railed), (events[0].Change, events[0].Fault.Kind));
        Assert.Equal(SensorStatusChange.Recovered, events[1].Change);
    }

    [Fact]
    public void Step_ConsumerLags_FramesBeyondTheRingAreDroppedAndCounted()
    {
        var (engine, _, clock, _) = Create(ringCapacity: 8);
        using var ownedEngine = engine;

        for (var n = 0; n < 20; n++)
        {
            engine.Step(clock.GetTimestamp());
            clock.Advance(Period);
        }

        var first = DrainFrames(engine);
        engine.Step(clock.GetTimestamp());
        var next = DrainFrames(engine);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), first.Select(f => f.Index));
        Assert.Equal(20, Assert.Single(next).Index);
        Assert.Equal(12, engine.Frames.Dropped);
        Assert.Equal(12, engine.Statistics.Snapshot().HandOffDropped);
    }

    [Fact]
    public void Step_SlowTemperatureReadInProgress_EmgFramesKeepComingAndTheReadingIsAttachedOnce()
    {
        using var readEntered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var thermometer = new Ds18b20Thermometer("w1:28-01", () =>
        {
            readEntered.Set();
            release.Wait(TestContext.Current.CancellationToken); // a DS18B20 conversion: ~1 s on real hardware
            return 32.5;
        });
        var status = new SensorStatusLog();
        var worker = new PolledSensorWorker<float>(thermometer.Chip, thermometer.Bus, thermometer.TryReadCelsius, 1, TimeProvider.System, status);
        var (engine, _, clock, _) = Create(temperature: worker);
        using var ownedEngine = engine;

        worker.Start();
        readEntered.Wait(TestContext.Current.CancellationToken);
        for (var n = 0; n < 50; n++)
        {
            Assert.True(engine.Step(clock.GetTimestamp()));
            clock.Advance(Period);
        }

        var whileReading = DrainFrames(engine);
        release.Set();
        long seen = 0;
        while (!worker.Latest.TryTakeNew(ref seen, out _))
        {
            Thread.Yield(); // wait for the worker's publish (bounded: the read was released)
        }

        // A fresh slot so that the engine sees the value the worker has just published.
        for (var n = 0; n < 3; n++)
        {
            engine.Step(clock.GetTimestamp());
            clock.Advance(Period);
        }

        var after = DrainFrames(engine);
        Assert.Equal(50, whileReading.Count);
        Assert.All(whileReading, f => Assert.False(f.HasTemperature));
        Assert.Equal(3, after.Count);
        Assert.True(engine.Layout.HasSkinTemperature);
    }

    [Theory]
    [InlineData(SamplingPacing.Spin)]
    [InlineData(SamplingPacing.Sleep)]
    [InlineData(SamplingPacing.Batch)]
    public void StartStop_RealClock_FramesArriveInOrderOnTheirSlotTimes(SamplingPacing pacing)
    {
        var spi = new SimulatedMcp3xxx(10, Vref, LiveInput);
        var adc = new Mcp3008EmgAdc(spi, Vref, [new EmgChannel(0, "calf", Gain)]);
        using var engine = new AcquisitionEngine(adc, new AcquisitionSettings { EmgRateHz = 1000, Pacing = pacing }, TimeProvider.System, new SensorStatusLog());
        var frame = engine.Layout.CreateFrame();
        var indices = new List<long>();

        engine.Start();
        while (indices.Count < 200)
        {
            engine.Frames.WaitForData(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            while (engine.Frames.TryRead(frame, out var index))
            {
                Assert.Equal(index / 1000.0, frame.TimeSeconds, 1e-12);
                indices.Add(index);
            }
        }

        engine.Stop();

        Assert.True(indices.Zip(indices.Skip(1)).All(p => p.Second > p.First));
        var report = engine.Statistics.Snapshot();
        Assert.Equal(report.Samples, indices.Count + engine.Frames.Count);
    }

    [Fact]
    public void Step_ImuReadInBursts_EachReadingLandsOnOneFrameAtItsSampleTimePlusTheHandOffDelay()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetTimestamp();
        var chip = new SimulatedMpu6050(timeProvider: clock)
        {
            // x in g = seconds since the start: a frame's acceleration says when the chip sampled it.
            AccelerationAtTimestamp = t => new System.Numerics.Vector3((t - start) / (float)clock.TimestampFrequency, 0, 1),
        };
        var imu = new Mpu6050Imu(chip);
        var worker = new PolledSensorWorker<ImuReading>(imu.Chip, imu.Bus, imu.TryReadFifo, MpuImu.BurstRateHz, clock, new SensorStatusLog(), 128, ownedSensor: imu);
        var (engine, _, _, _) = Create(clock: clock, motion: worker);
        using var ownedEngine = engine;

        var nextPoll = clock.GetTimestamp();
        for (var n = 0; n < (int)Rate; n++)
        {
            var now = clock.GetTimestamp();
            if (now >= nextPoll)
            {
                nextPoll = worker.PollOnce(now);
            }

            Assert.True(engine.Step(now));
            clock.Advance(Period);
        }

        var withAcceleration = new List<(long Index, double Time, float X)>();
        var frame = engine.Layout.CreateFrame();
        while (engine.Frames.TryRead(frame, out var index))
        {
            if (frame.HasAcceleration)
            {
                withAcceleration.Add((index, frame.TimeSeconds, frame.AccelerationXG));
            }
        }

        // 100 Hz readings from 10 ms on, each on the frame 150 ms (1.5 bursts) after it: frames 0–0.9995 s carry the
        // readings of 0.01–0.84 s (the one of 0.85 s is due on the frame of 1 s, after the run).
        Assert.Equal(TimeSpan.FromMilliseconds(150), worker.HandOffDelay);
        Assert.Equal(84, withAcceleration.Count);
        Assert.All(withAcceleration.Zip(withAcceleration.Skip(1)), pair => Assert.Equal(Rate / 100, pair.Second.Index - pair.First.Index));
        Assert.All(withAcceleration, f => Assert.Equal(f.Time - 0.150, f.X, 1.0 / 16384));
        Assert.Equal(0, worker.Readings.Skipped);
    }
}
