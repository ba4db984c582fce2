using BenchmarkDotNet.Attributes;
using CrampSense.Signals.Dsp;

namespace CrampSense.Benchmarks;

/// <summary>
/// The mains-interference canceller alone on 4 channels at 1 kHz, time per channel-sample
/// (OperationsPerInvoke = 4 × rows). Two cases: rest noise without hum (detection only, the usual case) and
/// 0.3 mV 50 Hz hum with 3rd and 5th harmonics on every channel (detection plus the 5-harmonic canceller, engaged
/// during warm-up). Budget (issue 11): this stage ≤ 15–20 ns per channel-sample, 0 B allocated.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*MainsCanceller*' --job short
/// </summary>
[MemoryDiagnoser]
public class MainsCancellerBenchmarks
{
    private const int Channels = 4;
    private const int Rows = 20_000;
    private const double SampleRateHz = 1000;

    private readonly float[][] _rest = new float[Channels][];
    private readonly float[][] _hum = new float[Channels][];
    private readonly float[] _output = new float[Rows];
    private MainsInterferenceCanceller[] _restCancellers = [];
    private MainsInterferenceCanceller[] _humCancellers = [];
    private ButterworthBandPass[] _bandPasses = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (int c = 0; c < Channels; c++)
        {
            _rest[c] = new float[Rows];
            _hum[c] = new float[Rows];
            for (int n = 0; n < Rows; n++)
            {
                double noise = 0.01 * ((random.NextDouble() * 2) - 1);
                double phase = 2 * Math.PI * 50.2 * n / SampleRateHz;
                _rest[c][n] = (float)noise;
                _hum[c][n] = (float)(noise + (0.3 * Math.Sin(phase)) + (0.1 * Math.Sin(3 * phase)) + (0.03 * Math.Sin(5 * phase)));
            }
        }

        _restCancellers = Enumerable.Range(0, Channels).Select(_ => new MainsInterferenceCanceller(SampleRateHz)).ToArray();
        _humCancellers = Enumerable.Range(0, Channels).Select(_ => new MainsInterferenceCanceller(SampleRateHz)).ToArray();
        _bandPasses = Enumerable.Range(0, Channels).Select(_ => new ButterworthBandPass(SampleRateHz, 20, 450, 4)).ToArray();

        // Warm up into the state measured: the hum cancellers engaged (about 2 s after the start).
        for (int c = 0; c < Channels; c++)
        {
            _humCancellers[c].Process(_hum[c], _output);
            _restCancellers[c].Process(_rest[c], _output);
        }
    }

    /// <summary>Reference on the same machine and load: the 20–450 Hz band-pass (8 poles) alone.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Channels * Rows)]
    public double BandPass_Reference()
    {
        double sum = 0;
        for (int n = 0; n < Rows; n++)
        {
            for (int c = 0; c < Channels; c++)
            {
                sum += _bandPasses[c].ProcessDouble(_rest[c][n]);
            }
        }

        return sum;
    }

    /// <summary>No hum: demodulation at 50 and 60 Hz and a decision every 0.5 s; the samples pass unchanged.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double DetectionOnly_RestNoise()
    {
        double sum = 0;
        for (int n = 0; n < Rows; n++)
        {
            for (int c = 0; c < Channels; c++)
            {
                sum += _restCancellers[c].ProcessDouble(_rest[c][n]);
            }
        }

        return sum;
    }

    /// <summary>Hum on every channel: detection plus five harmonic weight pairs and the frequency loop.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double Engaged_Hum()
    {
        double sum = 0;
        for (int n = 0; n < Rows; n++)
        {
            for (int c = 0; c < Channels; c++)
            {
                sum += _humCancellers[c].ProcessDouble(_hum[c][n]);
            }
        }

        return sum;
    }
}
