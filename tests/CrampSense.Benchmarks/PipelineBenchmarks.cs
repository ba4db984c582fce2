using BenchmarkDotNet.Attributes;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;

namespace CrampSense.Benchmarks;

/// <summary>
/// Per-sample EMG pipeline on 4 channels at 1 kHz. Every benchmark processes <see cref="Rows"/> rows of 4
/// channels and reports time per channel-sample (OperationsPerInvoke = 4 × rows), so samples/s = 1e9 / Mean.
/// Targets (issue 2 §6): filters + envelope ≥ 20 M samples/s, full features ≥ 5 M samples/s, 0 B allocated.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*Pipeline*' --job short
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int Channels = 4;
    private const int Rows = 20_000;
    private const double SampleRateHz = 1000;

    private readonly float[][] _raw = new float[Channels][];
    private readonly float[] _filtered = new float[Rows];
    private readonly float[] _envelope = new float[Rows];
    private EmgChannelPipeline[] _pipelines = [];
    private EmgFeatureExtractor _extractor = null!;
    private FeatureFrame _features = null!;
    private RecordingFrame _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Seeded noise with bursts: rest at ~10 µV, contractions at ~0.5 mV, a 1650 mV ADC offset.
        var random = new Random(42);
        for (int c = 0; c < Channels; c++)
        {
            _raw[c] = new float[Rows];
            for (int n = 0; n < Rows; n++)
            {
                double gain = (n / 2000 + c) % 3 == 0 ? 0.5 : 0.01;
                _raw[c][n] = (float)(1650 + (gain * ((random.NextDouble() * 2) - 1)));
            }
        }

        _pipelines = Enumerable.Range(0, Channels).Select(_ => new EmgChannelPipeline(SampleRateHz)).ToArray();
        _extractor = new EmgFeatureExtractor(SampleRateHz, ["calf", "hamstring", "quadriceps", "foot"]);
        _features = _extractor.CreateFrame();
        _frame = new RecordingFrame(Channels);
    }

    /// <summary>DC removal + 20–450 Hz band-pass + linear envelope, one row (4 channels) at a time.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public float FiltersAndEnvelope_PerSample()
    {
        float sum = 0;
        var pipelines = _pipelines;
        for (int n = 0; n < Rows; n++)
        {
            for (int c = 0; c < Channels; c++)
            {
                sum += pipelines[c].Process(_raw[c][n], out float filtered) + filtered;
            }
        }

        return sum;
    }

    /// <summary>The same chain through the span API, one channel block at a time.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public float FiltersAndEnvelope_Blocks()
    {
        for (int c = 0; c < Channels; c++)
        {
            _pipelines[c].Process(_raw[c], _filtered, _envelope);
        }

        return _envelope[^1];
    }

    /// <summary>The multi-site extractor: filters, envelopes, quality, and every 50 ms all features of a 250 ms window.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public int FullFeatures_PerRow()
    {
        int vectors = 0;
        var frame = _frame;
        for (int n = 0; n < Rows; n++)
        {
            frame.TimeSeconds += 1 / SampleRateHz;
            for (int c = 0; c < Channels; c++)
            {
                frame.EmgMillivolts[c] = _raw[c][n];
            }

            frame.HasAcceleration = n % 10 == 0;
            frame.AccelerationZG = 1f;
            frame.HasSkinTemperature = n % 1000 == 0;
            frame.SkinTemperatureCelsius = 31.5f;
            if (_extractor.Process(frame, _features))
            {
                vectors++;
            }
        }

        return vectors;
    }
}
