using BenchmarkDotNet.Attributes;
using CrampSense.Signals.Recordings;
using CrampSense.Simulation;

namespace CrampSense.Benchmarks;

/// <summary>
/// Rendering speed of each EMG engine: one minute of a night cramp (prodrome, cramp, stretch) on 4 sites at
/// 1 kHz with the randomised front end, planned and streamed frame by frame (no CSV). Time is per
/// channel-sample (OperationsPerInvoke = 4 × rows). Target (issue 12): hours render in minutes, i.e. well under
/// 1 µs per channel-sample.
/// Run: dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*Simulator*' --job short
/// </summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private const int Channels = 4;
    private const int Rows = 60_000;

    [Params(SimulationEngine.MotorUnit, SimulationEngine.Stochastic)]
    public SimulationEngine Engine { get; set; }

    /// <summary>Plans and renders the minute; returns a checksum so nothing is optimised away.</summary>
    [Benchmark(OperationsPerInvoke = Channels * Rows)]
    public double Render_PerChannelSample()
    {
        var recording = Simulator.Start(new SimulationRequest
        {
            Scenario = "night-cramp",
            Seed = 11,
            Duration = TimeSpan.FromSeconds(Rows / 1000.0 * 2),
            Engine = Engine,
            RandomiseFrontEnd = true,
        });
        RecordingFrame frame = recording.Layout.CreateFrame();
        double sum = 0;
        for (int n = 0; n < Rows && recording.TryReadFrame(frame); n++)
        {
            sum += frame.EmgMillivolts[0];
        }

        return sum;
    }
}
