using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CrampSense.Sensors.Emg;
using CrampSense.Sensors.Faults;
using CrampSense.Sensors.Sampling;
using CrampSense.Sensors.Simulated;
using CrampSense.Signals.Recordings;

namespace CrampSense.Benchmarks;

/// <summary>
/// The acquisition path from raw SPI bytes to pipeline-ready frames: 4 EMG channels at 2 kHz on an MCP3208
/// speaking its three-byte frames (the bus-level fake), through the Mcp3208 binding, the count → mV
/// conversion, lead-off detection, the pacer and the frame ring, and out to the consumer. One operation is
/// one second of signal (2 000 slots × 4 channels = 8 000 samples), so Mean is the CPU per second of signal
/// and Allocated / 8 000 is the allocation per sample (target 0 B in steady state).
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*AcquisitionBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class AcquisitionBenchmarks : IDisposable
{
    private const double Rate = 2000;
    private const int SlotsPerSecond = 2000;
    private AcquisitionEngine _engine = null!;
    private Mcp3208EmgAdc _adc = null!;
    private RecordingFrame _consumerFrame = null!;
    private int[] _counts = null!;
    private float[] _millivolts = null!;
    private long _ticksPerSlot;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        // A precomputed 80 Hz burst around mid-rail per channel, so the fake's own cost is a table lookup.
        var table = new double[2000];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = 1.65 + (0.3 * Math.Sin(2 * Math.PI * 80 * i / Rate));
        }

        CreateEngine(out _engine, table);
        _adc = new Mcp3208EmgAdc(new SimulatedMcp3xxx(12, 3.3, (ch, n) => table[(n + ch) % table.Length]), 3.3, Channels());
        _consumerFrame = _engine.Layout.CreateFrame();
        _counts = new int[4];
        _millivolts = new float[4];
        _ticksPerSlot = (long)(Stopwatch.Frequency / Rate);
        _engine.ResetClock(0);
        _now = 0;
    }

    /// <summary>Bytes → millivolts only: four SPI transfers and conversions per slot.</summary>
    [Benchmark]
    public float AdcReadOneSecond()
    {
        var sum = 0f;
        for (var slot = 0; slot < SlotsPerSecond; slot++)
        {
            _adc.TryRead(_counts, _millivolts, slot / Rate, out _);
            sum += _millivolts[3];
        }

        return sum;
    }

    /// <summary>The whole sampling-thread step and the consumer's read: what one second of 4 × 2 kHz costs.</summary>
    [Benchmark(Baseline = true)]
    public long EngineStepAndHandOffOneSecond()
    {
        long last = 0;
        for (var slot = 0; slot < SlotsPerSecond; slot++)
        {
            _engine.Step(_now);
            _now += _ticksPerSlot;
            while (_engine.Frames.TryRead(_consumerFrame, out var index))
            {
                last = index;
            }
        }

        return last;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _adc.Dispose();
    }

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    private static EmgChannel[] Channels() =>
    [
        new EmgChannel(0, "calf_left", 200), new EmgChannel(1, "calf_right", 200),
        new EmgChannel(2, "foot_left", 200), new EmgChannel(3, "foot_right", 200),
    ];

    private static void CreateEngine(out AcquisitionEngine engine, double[] table)
    {
        var spi = new SimulatedMcp3xxx(12, 3.3, (ch, n) => table[(n + ch) % table.Length]);
        var adc = new Mcp3208EmgAdc(spi, 3.3, Channels());
        engine = new AcquisitionEngine(adc, new AcquisitionSettings { EmgRateHz = Rate, RingCapacity = 4096 }, TimeProvider.System, new SensorStatusLog());
    }
}
