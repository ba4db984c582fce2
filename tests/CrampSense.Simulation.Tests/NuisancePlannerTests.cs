using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Simulation.Tests;

public class NuisancePlannerTests
{
    [Theory]
    [InlineData(50)]
    [InlineData(60)]
    public void Hum_WhenEnabled_PutsALineAtTheMainsFrequency(double mains)
    {
        var hum = RecordingCapture.Run(new SimulationRequest { Scenario = "rest", Seed = 2, Duration = TimeSpan.FromSeconds(20), MainsFrequencyHz = mains, Nuisances = NuisanceOptions.None with { HumMicrovolts = 20 } });
        var clean = RecordingCapture.Run(new SimulationRequest { Scenario = "rest", Seed = 2, Duration = TimeSpan.FromSeconds(20), MainsFrequencyHz = mains, Nuisances = NuisanceOptions.None });

        // 1024-point spectrum: bins of 0.98 Hz.
        var withHum = Dsp.PowerSpectrum(hum.Segment(0, 1, 19), 1024);
        var without = Dsp.PowerSpectrum(clean.Segment(0, 1, 19), 1024);
        static int Bin(double hz) => (int)Math.Round(hz * 1024 / 1000);
        var other = mains == 50 ? 60 : 50;
        Assert.True(withHum[Bin(mains)] > 100 * without[Bin(mains)]);
        Assert.True(withHum[Bin(mains)] > 100 * withHum[Bin(other)]);
        Assert.True(withHum[Bin(3 * mains)] > 10 * without[Bin(3 * mains)], "third harmonic");
    }

    [Fact]
    public void LeadOff_FaultIntervals_AreFlatOrRailed()
    {
        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = "nuisances", Seed = 3, Duration = TimeSpan.FromMinutes(10), Nuisances = NuisanceOptions.None with { LeadOffsPerHour = 60 } });
        var faults = capture.Recording.Truth.Where(t => t.Kind == TruthKind.Fault).ToList();

        Assert.NotEmpty(faults);
        foreach (var fault in faults)
        {
            var samples = capture.Segment(capture.SiteIndex(fault.Site), fault.StartSeconds + 0.01, fault.EndSeconds - 0.01, highPass: false);
            Assert.All(samples, v => Assert.Equal(samples[0], v));
            Assert.True(Math.Abs(samples[0]) < 0.06 || Math.Abs(Math.Abs(samples[0]) - 1.65) < 1e-3);
        }

        var levels = faults.Select(f => Math.Abs(capture.Emg[capture.SiteIndex(f.Site)][(int)(f.StartSeconds * 1000) + 5])).ToList();
        Assert.Contains(levels, v => v < 0.06);
        Assert.Contains(levels, v => Math.Abs(v - 1.65) < 1e-3);
    }

    [Fact]
    public void ArtifactIntervals_CarryTheArtifacts()
    {
        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = "rest", Seed = 4, Duration = TimeSpan.FromMinutes(5), Nuisances = NuisanceOptions.None with { MotionArtifactsPerHour = 60, ElectrodePopsPerHour = 60 } });
        var artifacts = capture.Recording.Truth.Where(t => t.Kind == TruthKind.Artifact).ToList();

        Assert.NotEmpty(artifacts);
        foreach (var artifact in artifacts)
        {
            var site = capture.SiteIndex(artifact.Site);
            var raw = capture.Segment(site, artifact.StartSeconds, artifact.EndSeconds, highPass: false);
            Assert.True(raw.Max(Math.Abs) > 0.04, $"artifact at {artifact.StartSeconds:F1} s on {artifact.Site} invisible");
        }

        var motion = capture.Recording.Plan.Artifacts.First(a => a.Kind == Planning.ArtifactKind.Motion);
        var spike = capture.Acceleration.Where(a => a.T >= motion.Start && a.T < motion.Start + 0.3).Max(a => Math.Abs(a.X) + Math.Abs(a.Y));
        Assert.True(spike > 0.2, "motion artifacts come with an accelerometer spike");
    }

    [Fact]
    public void ColdSkin_LowersTemperatureAndMedianFrequency()
    {
        var request = new SimulationRequest { Scenario = "voluntary-holds", Seed = 6, Duration = TimeSpan.FromMinutes(30), Sites = ["calf", "shin"], Nuisances = NuisanceOptions.None };
        var warm = RecordingCapture.Run(request);
        var cold = RecordingCapture.Run(request with { Nuisances = NuisanceOptions.None with { ColdSkin = true } });
        var episode = Assert.Single(cold.Recording.Plan.ColdEpisodes);

        var coldest = cold.Temperature.Where(t => t.T > episode.Start + 150 && t.T < episode.End).Average(t => t.Celsius);
        var normal = warm.Temperature.Where(t => t.T > episode.Start + 150 && t.T < episode.End).Average(t => t.Celsius);
        Assert.True(normal - coldest > 3);

        var warmMedians = new List<double>();
        var coldMedians = new List<double>();
        foreach (var hold in cold.Recording.Truth.Where(t => t.Kind == TruthKind.Voluntary && t.DurationSeconds > 4 && t.StartSeconds > episode.Start + 150 && t.EndSeconds < episode.End))
        {
            var site = cold.SiteIndex(hold.Site);
            warmMedians.Add(Dsp.MedianFrequency(warm.Segment(site, hold.StartSeconds + 1, hold.EndSeconds - 1), 1000));
            coldMedians.Add(Dsp.MedianFrequency(cold.Segment(site, hold.StartSeconds + 1, hold.EndSeconds - 1), 1000));
        }

        Assert.True(coldMedians.Count >= 3, $"{coldMedians.Count} holds in the cold episode {episode}");
        Assert.True(coldMedians.Average() < 0.95 * warmMedians.Average(), $"cold {coldMedians.Average():F0} Hz vs warm {warmMedians.Average():F0} Hz");
    }
}
