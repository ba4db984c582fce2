using CrampSense.Detection.Model;
using CrampSense.Signals.Features;
using CrampSense.Simulation;
using Xunit;

namespace CrampSense.Detection.Tests.Model;

/// <summary>
/// The fault suite of issue 11: a quiet two-site rest recording from the simulator (seed 7301, 90 s) whose calf
/// channel — or both channels — is replaced or overlaid from 30 to 60 s with one front-end fault. The whole
/// detector (shipped model) runs as the service would with an MCP3008 at 3.3 V and gain 200 (full scale
/// ±8.25 mV): every case must raise a <c>signal_fault</c> on each faulty site and no case may give a cramp.
/// </summary>
public sealed class CrampDetectorFaultSuiteTests
{
    private const double FaultStart = 30;
    private const double FaultEnd = 60;
    private const double DurationSeconds = 90;
    private const double FullScaleMillivolts = 8.25;

    /// <summary>One step of the documented 10-bit front end at the electrodes: 3.3 V / 1024 / 200.</summary>
    private const double StepMillivolts = 3.3 / 1024 / 200 * 1000;

    private static readonly FullScaleRange s_frontEnd = FullScaleRange.Symmetric(FullScaleMillivolts);

    /// <summary>A fault: the new value of a faulty sample from the time, the clean value and a seeded random source.</summary>
    private delegate double Injection(double t, double clean, Random random);

    private static readonly Dictionary<string, (Injection Inject, double Start, double End, RowDrop Drop)> s_cases = new()
    {
        ["hum 50 Hz 1 mV"] = ((t, x, _) => x + Hum(t, 50, 1.0), FaultStart, FaultEnd, RowDrop.None),
        ["hum 50 Hz 0.3 mV"] = ((t, x, _) => x + Hum(t, 50, 0.3), FaultStart, FaultEnd, RowDrop.None),
        ["hum 50 Hz 1 mV with 3rd and 5th harmonics"] = ((t, x, _) => x + Hum(t, 50, 1.0) + Hum(t, 150, 0.3) + Hum(t, 250, 0.12), FaultStart, FaultEnd, RowDrop.None),
        ["hum 50 Hz 1 mV for 10 s"] = ((t, x, _) => x + Hum(t, 50, 1.0), FaultStart, FaultStart + 10, RowDrop.None),
        ["hum 60 Hz 1 mV"] = ((t, x, _) => x + Hum(t, 60, 1.0), FaultStart, FaultEnd, RowDrop.None),
        ["noise clipped at full scale"] = ((_, _, r) => 10 * Gaussian(r), FaultStart, FaultEnd, RowDrop.None),

        // 2Q(1.28) = 20 % at the rails, within what a saturating contraction reaches: only its independent samples tell it apart.
        ["noise clipped on a fifth of the samples"] = ((_, _, r) => FullScaleMillivolts / 1.28 * Gaussian(r), FaultStart, FaultEnd, RowDrop.None),
        // 2Q(1.96) = 5 % at the rails: a whole window of it clips, its first partial windows may not.
        ["noise clipped on a twentieth of the samples"] = ((_, _, r) => FullScaleMillivolts / 1.96 * Gaussian(r), FaultStart, FaultEnd, RowDrop.None),
        // 2Q(0.674) = 50 % at the rails, where a contraction driven beyond full scale can still be overdriven: only the
        // independence of the samples between the clips tells it apart.
        ["noise clipped on half the samples"] = ((_, _, r) => FullScaleMillivolts / 0.674 * Gaussian(r), FaultStart, FaultEnd, RowDrop.None),

        // A floating input's pick-up at 1.5 × full scale: 54 % at the rails and smooth between them; only the hum tells it apart.
        ["floating input: mains at 1.5 × full scale"] = ((t, x, _) => x + Hum(t, 50, 1.5 * FullScaleMillivolts), FaultStart, FaultEnd, RowDrop.None),
        ["floating input: 6 mV mains plus drift"] = ((t, x, _) => x + Hum(t, 50.2, 6.0) + (4 * Math.Sin(2 * Math.PI * 0.3 * t)) + 1.5, FaultStart, FaultEnd, RowDrop.None),
        ["±5 mV 3-sample spikes every 100 ms"] = ((t, x, _) => x + Spike(t, 0.1, 3, 5.0), FaultStart, FaultEnd, RowDrop.None),
        ["±5 mV spikes on 2 % of samples"] = ((_, x, r) => x + (r.NextDouble() < 0.02 ? (r.Next(2) == 0 ? 5.0 : -5.0) : 0), FaultStart, FaultEnd, RowDrop.None),
        ["full scale with 1-step jitter"] = ((_, _, r) => FullScaleMillivolts - (r.Next(2) * StepMillivolts), FaultStart, FaultEnd, RowDrop.None),
        ["rail-to-rail 50 Hz square wave"] = ((t, _, _) => Math.Sin(2 * Math.PI * 50 * t) >= 0 ? FullScaleMillivolts : -FullScaleMillivolts, FaultStart, FaultEnd, RowDrop.None),
        ["constant value"] = ((_, _, _) => 0.5, FaultStart, FaultEnd, RowDrop.None),
        ["50 mV spikes"] = ((t, x, _) => x + (50.0 / 5 * Spike(t, 0.5, 2, 5.0)), FaultStart, FaultEnd, RowDrop.None),
        ["gaps of 0.5 s"] = ((_, x, _) => x, FaultStart, FaultEnd, RowDrop.Gaps),
        ["dropped samples"] = ((_, x, _) => x, FaultStart, FaultEnd, RowDrop.Scattered),
    };

    private enum RowDrop
    {
        None,
        Gaps,
        Scattered,
    }

    public static TheoryData<string, bool> Cases() => OnOneAndOnBothSites(s_cases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Process_FrontEndFault_RaisesASignalFaultOnEachFaultySiteAndNoCramp(string name, bool bothSites)
    {
        var events = RunCaseAssertingAFaultOnEachSiteAndNoCramp(name, bothSites, 1000);

        if (!bothSites && s_cases[name].Drop == RowDrop.None)
        {
            Assert.DoesNotContain(events, e => e.Type == CrampEventKind.SignalFault && e.Site == "hamstring");
        }
    }

    /// <summary>The cases that put the front end at its rails, for the recording sampled at 500 Hz.</summary>
    public static TheoryData<string, bool> ClippingCases() =>
        OnOneAndOnBothSites(s_cases.Keys.Where(n => n.Contains("clipped", StringComparison.Ordinal) || n.Contains("full scale", StringComparison.Ordinal) || n.Contains("rail", StringComparison.Ordinal)));

    /// <summary>
    /// The clipping cases at 500 Hz, where the EMG band fills the Nyquist band and the band-limit test cannot tell a
    /// contraction's unclipped runs from noise (<see cref="SignalQuality.BandUnresolved"/>): a fault that starts
    /// abruptly is never taken for a saturating contraction.
    /// </summary>
    [Theory]
    [MemberData(nameof(ClippingCases))]
    public void Process_FrontEndFaultAtTheRailsAt500Hz_RaisesASignalFaultOnEachFaultySiteAndNoCramp(string name, bool bothSites) =>
        RunCaseAssertingAFaultOnEachSiteAndNoCramp(name, bothSites, 500);

    private static TheoryData<string, bool> OnOneAndOnBothSites(IEnumerable<string> names)
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    /// <summary>Runs case <paramref name="name"/> on the calf (or both sites) at <paramref name="sampleRateHz"/>: no cramp, and a fault on each faulty site within the fault.</summary>
    private static List<CrampEvent> RunCaseAssertingAFaultOnEachSiteAndNoCramp(string name, bool bothSites, double sampleRateHz)
    {
        var (inject, start, end, drop) = s_cases[name];

        var events = Run((t, site, clean, random) => t >= start && t < end && (site == 0 || bothSites) ? inject(t, clean, random) : clean, drop, start, end, sampleRateHz);

        Assert.True(!events.Any(e => e.Type == CrampEventKind.CrampStarted), string.Join("\n", events.Select(e => e.ToJson())));
        foreach (var site in bothSites ? new[] { "calf", "hamstring" } : ["calf"])
        {
            Assert.Contains(events, e => e.Type == CrampEventKind.SignalFault && e.Site == site && e.OnsetSeconds >= start - 0.3 && e.OnsetSeconds <= end);
        }

        return events;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Process_SteadyHumFromTheStart_IsNoFaultAndNoCramp(bool bothSites)
    {
        var events = Run((t, site, clean, _) => site == 0 || bothSites ? clean + Hum(t, 50, 1.0) + Hum(t, 150, 0.3) : clean, RowDrop.None, 0, 0);

        Assert.DoesNotContain(events, e => e.Type is CrampEventKind.CrampStarted or CrampEventKind.SignalFault);
    }

    /// <summary>Runs the rest recording through the detector with <paramref name="signal"/> applied, then clipped to the front end's full scale.</summary>
    private static List<CrampEvent> Run(Func<double, int, double, Random, double> signal, RowDrop drop, double start, double end, double sampleRateHz = 1000)
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = "rest", Seed = 7301, Duration = TimeSpan.FromSeconds(DurationSeconds), Sites = ["calf", "hamstring"], SampleRateHz = sampleRateHz });
        var model = ShippedModel.Load();
        var sink = new ListSink();
        var detector = new CrampDetector(recording.Layout, model, sink, new CrampDetectorOptions { Features = new FeatureExtractorOptions { FullScale = s_frontEnd } });
        var frame = recording.Layout.CreateFrame();
        var random = new Random(11);
        long row = 0;
        while (recording.TryReadFrame(frame))
        {
            double t = frame.TimeSeconds;
            row++;
            bool inFault = t >= start && t < end;
            if (inFault && ((drop == RowDrop.Gaps && t % 10 < 0.5) || (drop == RowDrop.Scattered && row % 97 == 0)))
            {
                continue;
            }

            var emg = frame.EmgMillivolts;
            for (int s = 0; s < emg.Length; s++)
            {
                emg[s] = (float)Math.Clamp(signal(t, s, emg[s], random), s_frontEnd.LowMillivolts, s_frontEnd.HighMillivolts);
            }

            detector.Process(frame);
        }

        detector.Flush(DurationSeconds);
        return sink.Events;
    }

    private static double Hum(double t, double hz, double amplitude) => amplitude * Math.Sin(2 * Math.PI * hz * t);

    /// <summary>A spike of <paramref name="samples"/> ms every <paramref name="period"/> s, alternating in sign.</summary>
    private static double Spike(double t, double period, int samples, double amplitude)
    {
        long k = (long)Math.Floor(t / period);
        double into = t - (k * period);
        return into < samples / 1000.0 - 1e-9 ? (k % 2 == 0 ? amplitude : -amplitude) : 0;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class ListSink : ICrampEventSink
    {
        public List<CrampEvent> Events { get; } = [];

        public void OnEvent(CrampEvent cramp) => Events.Add(cramp);
    }
}
