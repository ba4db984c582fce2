using BenchmarkDotNet.Attributes;
using CrampSense.Signals.Features;

namespace CrampSense.Benchmarks;

/// <summary>
/// Cost of the per-hop work for one site and one 250-sample window at 1 kHz (run once per 50 rows per site),
/// to see where <see cref="PipelineBenchmarks.FullFeatures_PerRow"/> spends its time.
/// </summary>
[MemoryDiagnoser]
public class FeatureWindowBenchmarks
{
    private readonly float[] _window = new float[250];
    private readonly float[] _envelope = new float[250];
    private SpectralAnalyzer _spectral = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _window.Length; i++)
        {
            _window[i] = (float)((random.NextDouble() * 2) - 1);
            _envelope[i] = (float)(0.5 + (0.1 * random.NextDouble()));
        }

        _spectral = new SpectralAnalyzer(1000, 250, 20, 450);
    }

    [Benchmark]
    public float TimeDomain() => TimeDomainFeatures.Compute(_window, 1000, 0.01f, 0.02f).Rms;

    [Benchmark]
    public float Spectral() => _spectral.Analyze(_window).MedianFrequencyHz;

    [Benchmark]
    public float Envelope() => EnvelopeStatistics.Compute(_envelope, 1000).SlopePerSecond;
}
