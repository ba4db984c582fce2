using BenchmarkDotNet.Attributes;
using CrampSense.Detection;
using CrampSense.Detection.Model;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.Benchmarks;

/// <summary>
/// The whole detector (signal features + model inputs + ML.NET scoring of every site every 50 ms + state machine)
/// on a simulated night-cramp recording with 4 sites at 1 kHz, held in memory. Time is per channel-sample
/// (OperationsPerInvoke = 4 × rows), so samples/s = 1e9 / Mean. Targets (issue 3 §5): ≥ 5 M samples/s on one
/// core, 0 B allocated per sample in steady state.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*Detector*' --job short
/// </summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private const int Channels = 4;
    private const int Rows = 60_000;

    private RecordingFrame[] _frames = [];
    private CrampDetector _detector = null!;
    private CrampModel _model = null!;
    private float[] _inputs = [];

    [GlobalSetup]
    public void Setup()
    {
        // Rest, a prodrome and a cramp on the calf: the model scores every site of every window in all cases.
        var recording = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 11, Duration = TimeSpan.FromSeconds(Rows / 1000.0 * 2) });
        _frames = new RecordingFrame[Rows];
        var skip = recording.Layout.CreateFrame();
        for (int n = 0; n < Rows; n++)
        {
            // Take the second minute (prodrome and cramp are there for this seed; the first warms the floor).
            recording.TryReadFrame(skip);
        }

        for (int n = 0; n < Rows; n++)
        {
            _frames[n] = recording.Layout.CreateFrame();
            recording.TryReadFrame(_frames[n]);
            _frames[n].TimeSeconds -= Rows / 1000.0;
        }

        using var zip = typeof(DetectorBenchmarks).Assembly.GetManifestResourceStream("crampsense-detector.zip")!;
        _model = CrampModel.Load(zip);
        _detector = new CrampDetector(recording.Layout, _model, new DiscardingSink());
        _inputs = new float[ModelFeatureNames.Count];
    }

    /// <summary>One minute of 4-site rows through the detector, flushed at the end (events of the cramp included).</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public int FullDetector_PerRow()
    {
        int windows = 0;
        var detector = _detector;
        var frames = _frames;
        for (int n = 0; n < frames.Length; n++)
        {
            if (detector.Process(frames[n]))
            {
                windows++;
            }
        }

        detector.Flush();
        return windows;
    }

    /// <summary>One call of the model alone (both scores, per window and site).</summary>
    [Benchmark]
    public float ModelScore_PerWindow() => _model.Score(_inputs).Intent;

    private sealed class DiscardingSink : ICrampEventSink
    {
        public void OnEvent(CrampEvent cramp)
        {
        }
    }
}
