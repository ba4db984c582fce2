using BenchmarkDotNet.Attributes;
using CrampSense.Detection.Model;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.Benchmarks;

/// <summary>
/// Where <see cref="DetectorBenchmarks.FullDetector_PerRow"/> spends its time: the same simulated minute (4 sites,
/// 1 kHz, night-cramp seed 11) through each stage alone and through growing prefixes of the detector. Time is per
/// channel-sample (OperationsPerInvoke = 4 × rows). Per-sample stages: <c>Filter_*</c> (DC blocker + band-pass +
/// canceller), <c>Quality_Add</c>, <c>EnvelopeAndActivity</c>. Prefixes: <c>Extractor</c> (all signal features),
/// <c>ExtractorAndModelInputs</c> (+ <see cref="ModelFeatureBuilder"/>); the model and the trackers are the rest of
/// the full detector. The per-window work of the extractor is <c>Extractor</c> minus the per-sample stages.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*DetectorStage*' --job short
/// </summary>
[MemoryDiagnoser]
public class DetectorStageBenchmarks
{
    private const int Channels = 4;
    private const int Rows = 60_000;

    private RecordingFrame[] _frames = [];
    private float[][] _channels = [];
    private RecordingLayout _layout = null!;
    private EmgChannelFilter[] _filters = [];
    private EmgChannelFilter[] _filtersWithoutMains = [];
    private EmgChannelFilter[] _rowFilters = [];
    private LinearEnvelope[] _rowEnvelopes = [];
    private EmgChannelFilterBank _filterBank = null!;
    private EmgChannelFilter[] _rowFiltersWithoutMains = [];
    private EmgChannelFilterBank _filterBankWithoutMains = null!;
    private LinearEnvelopeBank _envelopeBank = null!;
    private double[] _rowFiltered = [];
    private double[] _rowEnvelope = [];
    private ChannelQualityMonitor[] _quality = [];
    private LinearEnvelope[] _envelopes = [];
    private MuscleActivityDetector[] _activity = [];
    private double[][] _filtered = [];
    private EmgFeatureExtractor _extractor = null!;
    private FeatureFrame _features = null!;
    private ModelFeatureBuilder _builder = null!;
    private SpectralAnalyzer _spectral = null!;
    private float[][] _filteredRing = [];
    private float[][] _envelopeRing = [];
    private CrampModel _model = null!;
    private float[][] _modelInputs = [];
    private int _window;
    private int _hop;

    [GlobalSetup]
    public void Setup()
    {
        // The frames of DetectorBenchmarks: the second minute of the recording (prodrome and cramp on the calf).
        var recording = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 11, Duration = TimeSpan.FromSeconds(Rows / 1000.0 * 2) });
        _layout = recording.Layout;
        var skip = _layout.CreateFrame();
        for (int n = 0; n < Rows; n++)
        {
            recording.TryReadFrame(skip);
        }

        _frames = new RecordingFrame[Rows];
        _channels = Enumerable.Range(0, Channels).Select(_ => new float[Rows]).ToArray();
        _filtered = Enumerable.Range(0, Channels).Select(_ => new double[Rows]).ToArray();
        for (int n = 0; n < Rows; n++)
        {
            _frames[n] = _layout.CreateFrame();
            recording.TryReadFrame(_frames[n]);
            _frames[n].TimeSeconds -= Rows / 1000.0;
            for (int c = 0; c < Channels; c++)
            {
                _channels[c][n] = _frames[n].EmgMillivolts[c];
            }
        }

        double rate = _layout.SampleRateHz;
        var options = FeatureExtractorOptions.Default;
        int window = (int)Math.Round(options.WindowSeconds * rate);
        int hop = (int)Math.Round(options.HopSeconds * rate);
        _filters = Enumerable.Range(0, Channels).Select(_ => new EmgChannelFilter(rate, options.Filter)).ToArray();
        _filtersWithoutMains = Enumerable.Range(0, Channels).Select(_ => new EmgChannelFilter(rate, new EmgFilterOptions { Mains = MainsFrequency.Off })).ToArray();
        _rowFilters = Enumerable.Range(0, Channels).Select(_ => new EmgChannelFilter(rate, options.Filter)).ToArray();
        _rowEnvelopes = Enumerable.Range(0, Channels).Select(_ => new LinearEnvelope(rate, options.Filter.EnvelopeCutoffHz)).ToArray();
        _filterBank = new EmgChannelFilterBank(rate, Channels, options.Filter);
        _rowFiltersWithoutMains = Enumerable.Range(0, Channels).Select(_ => new EmgChannelFilter(rate, new EmgFilterOptions { Mains = MainsFrequency.Off })).ToArray();
        _filterBankWithoutMains = new EmgChannelFilterBank(rate, Channels, new EmgFilterOptions { Mains = MainsFrequency.Off });
        _envelopeBank = new LinearEnvelopeBank(rate, Channels, options.Filter.EnvelopeCutoffHz);
        _rowFiltered = new double[Channels];
        _rowEnvelope = new double[Channels];
        _quality = Enumerable.Range(0, Channels).Select(_ => new ChannelQualityMonitor(rate, window, hop, options, fullScale: null)).ToArray();
        _envelopes = Enumerable.Range(0, Channels).Select(_ => new LinearEnvelope(rate, options.Filter.EnvelopeCutoffHz)).ToArray();
        _activity = Enumerable.Range(0, Channels).Select(_ => new MuscleActivityDetector(rate, options.HopSeconds)).ToArray();
        for (int c = 0; c < Channels; c++)
        {
            _filters[c].Reset();
            for (int n = 0; n < Rows; n++)
            {
                _filtered[c][n] = _filters[c].ProcessDouble(_channels[c][n]);
            }
        }

        _window = window;
        _hop = hop;
        _spectral = new SpectralAnalyzer(rate, window, 20, 450, options.LowMidEdgeHz, options.MidHighEdgeHz);
        _filteredRing = _filtered.Select(f => f.Select(x => (float)x).ToArray()).ToArray();
        _envelopeRing = new float[Channels][];
        for (int c = 0; c < Channels; c++)
        {
            var envelope = new LinearEnvelope(rate, options.Filter.EnvelopeCutoffHz);
            _envelopeRing[c] = _filtered[c].Select(x => (float)envelope.ProcessDouble(x)).ToArray();
        }

        using (var zip = typeof(DetectorBenchmarks).Assembly.GetManifestResourceStream("crampsense-detector.zip")!)
        {
            _model = CrampModel.Load(zip);
        }

        // The model inputs of every window and site of this minute, as the detector builds them.
        var inputsExtractor = new EmgFeatureExtractor(_layout);
        var inputsFrame = inputsExtractor.CreateFrame();
        var inputsBuilder = new ModelFeatureBuilder(_layout, options.HopSeconds);
        var inputs = new List<float[]>();
        foreach (var frame in _frames)
        {
            inputsBuilder.OnRow(frame);
            if (inputsExtractor.Process(frame, inputsFrame))
            {
                inputsBuilder.Compute(inputsFrame);
                for (int c = 0; c < Channels; c++)
                {
                    inputs.Add(inputsBuilder.Site(c).ToArray());
                }
            }
        }

        _modelInputs = [.. inputs];
        _extractor = new EmgFeatureExtractor(_layout);
        _features = _extractor.CreateFrame();
        _builder = new ModelFeatureBuilder(_layout, options.HopSeconds);
    }

    /// <summary>DC blocker + band-pass + mains canceller (detection; removal while hum is present), channel by channel.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double Filter_WithMains() => RunFilters(_filters);

    /// <summary>The same chain with the canceller off: the difference is the canceller's cost.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double Filter_WithoutMains() => RunFilters(_filtersWithoutMains);

    /// <summary>
    /// Filter (with the canceller) and envelope row by row, one <see cref="EmgChannelFilter"/> and <see cref="LinearEnvelope"/>
    /// per site: the extractor's per-row loop before the channel banks.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double FilterAndEnvelope_PerSite() => RowsPerSite(_rowFilters);

    /// <summary>As <see cref="FilterAndEnvelope_PerSite"/> with the canceller off.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double FilterAndEnvelope_PerSite_WithoutMains() => RowsPerSite(_rowFiltersWithoutMains);

    /// <summary>The same through <see cref="EmgChannelFilterBank"/> and <see cref="LinearEnvelopeBank"/> (the sites in vector lanes).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double FilterAndEnvelope_Bank() => RowsBank(_filterBank);

    /// <summary>As <see cref="FilterAndEnvelope_Bank"/> with the canceller off.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double FilterAndEnvelope_Bank_WithoutMains() => RowsBank(_filterBankWithoutMains);

    private double RowsPerSite(EmgChannelFilter[] filters)
    {
        double sum = 0;
        var envelopes = _rowEnvelopes;
        foreach (var frame in _frames)
        {
            var emg = frame.EmgMillivolts;
            for (int c = 0; c < Channels; c++)
            {
                sum += envelopes[c].ProcessDouble(filters[c].ProcessDouble(emg[c]));
            }
        }

        return sum;
    }

    private double RowsBank(EmgChannelFilterBank bank)
    {
        double sum = 0;
        var filtered = _rowFiltered;
        var envelope = _rowEnvelope;
        foreach (var frame in _frames)
        {
            bank.Process(frame.EmgMillivolts, filtered);
            _envelopeBank.Process(filtered, envelope);
            for (int c = 0; c < Channels; c++)
            {
                sum += envelope[c];
            }
        }

        return sum;
    }

    /// <summary>The quality monitor's per-sample part (its per-hop judgement is in the extractor's window work).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public long Quality_Add()
    {
        for (int c = 0; c < Channels; c++)
        {
            var monitor = _quality[c];
            var samples = _channels[c];
            for (int n = 0; n < samples.Length; n++)
            {
                monitor.Add(samples[n]);
            }
        }

        return Rows;
    }

    /// <summary>Linear envelope + the activity detector's per-sample power trace, on the filtered signal.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double EnvelopeAndActivity()
    {
        double sum = 0;
        for (int c = 0; c < Channels; c++)
        {
            var envelope = _envelopes[c];
            var activity = _activity[c];
            var filtered = _filtered[c];
            for (int n = 0; n < filtered.Length; n++)
            {
                sum += envelope.ProcessDouble(filtered[n]);
                activity.OnSample(filtered[n], n * 0.001);
            }
        }

        return sum;
    }

    /// <summary>The whole signal pipeline (per-sample stages + every 50 ms the window features and judgements).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public int Extractor()
    {
        int windows = 0;
        for (int n = 0; n < _frames.Length; n++)
        {
            if (_extractor.Process(_frames[n], _features))
            {
                windows++;
            }
        }

        _extractor.Reset();
        return windows;
    }

    /// <summary>The signal pipeline plus the model inputs (what the detector does before scoring and tracking).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public int ExtractorAndModelInputs()
    {
        int windows = 0;
        for (int n = 0; n < _frames.Length; n++)
        {
            _builder.OnRow(_frames[n]);
            if (_extractor.Process(_frames[n], _features))
            {
                _builder.Compute(_features);
                windows++;
            }
        }

        _extractor.Reset();
        _builder.Reset();
        return windows;
    }

    /// <summary>Per-window work, spread over the samples: the time-domain features of every 250-ms window every 50 ms.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public float Window_TimeDomain() => OverWindows(_filteredRing, window => TimeDomainFeatures.Compute(window, 1000, 0.01f, 0.02f).Rms);

    /// <summary>The spectrum (Hann, 256-point FFT, mean/median frequency, band ratios) of every window.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public float Window_Spectral() => OverWindows(_filteredRing, window => _spectral.Analyze(window).MedianFrequencyHz);

    /// <summary>The envelope statistics of every window.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public float Window_Envelope() => OverWindows(_envelopeRing, window => EnvelopeStatistics.Compute(window, 1000).SlopePerSecond);

    /// <summary>The quality monitor: every sample added, every hop judged (pile-up, spikes; hum every fifth hop).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public int Quality_AddAndEvaluate()
    {
        int flagged = 0;
        for (int c = 0; c < Channels; c++)
        {
            var monitor = _quality[c];
            monitor.Reset();
            var samples = _channels[c];
            for (int n = 0; n < samples.Length; n++)
            {
                monitor.Add(samples[n]);
                if ((n + 1) % _hop == 0 && n + 1 >= _window)
                {
                    flagged += monitor.Evaluate() == SignalQuality.None ? 0 : 1;
                }
            }
        }

        return flagged;
    }

    /// <summary>The model on every window and site (what the detector scored before quiet rest windows were thinned).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public float Model_EveryWindow()
    {
        float sum = 0;
        foreach (var inputs in _modelInputs)
        {
            sum += _model.Score(inputs).Artifact;
        }

        return sum;
    }

    /// <summary>Sums <paramref name="measure"/> over every window (250 samples every 50) of every channel.</summary>
    private float OverWindows(float[][] signals, Func<ReadOnlySpan<float>, float> measure)
    {
        float sum = 0;
        for (int c = 0; c < Channels; c++)
        {
            for (int end = _window; end <= Rows; end += _hop)
            {
                sum += measure(signals[c].AsSpan(end - _window, _window));
            }
        }

        return sum;
    }

    private double RunFilters(EmgChannelFilter[] filters)
    {
        double sum = 0;
        for (int c = 0; c < Channels; c++)
        {
            var filter = filters[c];
            var samples = _channels[c];
            for (int n = 0; n < samples.Length; n++)
            {
                sum += filter.ProcessDouble(samples[n]);
            }
        }

        return sum;
    }
}
