using CrampSense.Detection.Model;
using CrampSense.Simulation;

namespace CrampSense.Wearable.Tests.Infrastructure;

/// <summary>A seeded simulated recording through a <see cref="DetectionSession"/>, with the shipped model.</summary>
internal static class SimulatedRun
{
    private static readonly Lazy<byte[]> s_model = new(() =>
    {
        using var stream = typeof(SimulatedRun).Assembly.GetManifestResourceStream("crampsense-detector.zip")
            ?? throw new InvalidOperationException("models/crampsense-detector.zip is not embedded in the test assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    /// <summary>A new instance of the shipped model (models/crampsense-detector.zip): a model scores with its own buffers, one thread at a time, so each run gets its own.</summary>
    public static CrampModel Model() => CrampModel.Load(s_model.Value);

    /// <summary>Runs <paramref name="scenario"/> (seed, length) to its end through a new session into <paramref name="output"/>.</summary>
    public static DetectionSession Run(string scenario, int seed, TimeSpan duration, ISessionOutput output, double continueFromSeconds = 0, Action<DetectionSession>? prepare = null)
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = duration });
        var session = new DetectionSession(recording.Layout, Model(), new CrampDetectorOptions { Device = "pi-01" }, output, continueFromSeconds: continueFromSeconds);
        prepare?.Invoke(session);
        var frame = recording.Layout.CreateFrame();
        while (recording.TryReadFrame(frame))
        {
            session.Process(frame);
        }

        session.Flush();
        return session;
    }
}
