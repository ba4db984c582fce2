using Xunit;

namespace CrampSense.Simulation.Tests;

public sealed class FrontEndRandomisationTests
{
    /// <summary>200 randomised recordings (seeds 1–200), planned but not rendered.</summary>
    private static readonly SimulatedRecording[] Recordings = [.. Enumerable.Range(1, 200).Select(seed => Simulator.Start(new SimulationRequest
    {
        Scenario = "night-cramp",
        Seed = seed,
        Engine = SimulationEngine.Stochastic,
        Sites = ["calf", "shin"],
        MainsFrequencyHz = seed % 2 == 0 ? 50 : 60,
    }))];

    private static IEnumerable<SiteParameters> Sites => Recordings.SelectMany(r => r.Subject.Sites);

    private static double Metadata(SimulatedRecording r, string key) =>
        double.Parse(r.Layout.Metadata[key], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Draw_FloorsAndCrampLevels_CoverTheirRangesAtThreeToHundredTimesTheFloor()
    {
        var floors = Sites.Select(s => s.NoiseMicrovolts * s.GainFactor).ToArray();
        var cramps = Sites.Select(s => s.MaximalRmsMillivolts * FrontEndRandomisation.NominalCrampExcitation * s.GainFactor).ToArray();
        var ratios = floors.Zip(cramps, (f, c) => c * 1000 / f).ToArray();

        Assert.All(floors, f => Assert.InRange(f, 2, 20));
        Assert.All(cramps, c => Assert.InRange(c, 0.03, 3));
        Assert.All(ratios, r => Assert.InRange(r, 3 - 1e-9, 100 + 1e-9));

        // Covered, not just bounded: the extremes of each range are reached within a factor of 1.5 over 400 sites.
        Assert.True(floors.Min() < 3 && floors.Max() > 13, $"floors {floors.Min()}–{floors.Max()}");
        Assert.True(cramps.Min() < 0.045 && cramps.Max() > 1.5, $"cramp levels {cramps.Min()}–{cramps.Max()}");
        Assert.True(ratios.Min() < 4.5 && ratios.Max() > 66, $"ratios {ratios.Min()}–{ratios.Max()}");
    }

    [Fact]
    public void Draw_MedianFrequencies_Cover40To150Hz()
    {
        var medians = Sites.Select(s => s.MedianFrequencyHz).ToArray();

        Assert.All(medians, m => Assert.InRange(m, 40, 150));
        Assert.True(medians.Min() < 45 && medians.Max() > 145, $"medians {medians.Min()}–{medians.Max()}");
    }

    [Fact]
    public void Draw_Adc_IsTenOrTwelveBits_FullScaleAboveTheCrampAndStepBelowTheFloor()
    {
        Assert.Equal([10, 12], Recordings.Select(r => r.FrontEnd.AdcBits).Distinct().Order().ToArray());
        foreach (var r in Recordings)
        {
            foreach (var s in r.Subject.Sites)
            {
                var crampRms = s.MaximalRmsMillivolts * FrontEndRandomisation.NominalCrampExcitation * s.GainFactor;
                var step = 2 * s.FullScaleMillivolts / (1 << r.FrontEnd.AdcBits);
                Assert.InRange(s.FullScaleMillivolts, 2.5 * crampRms * (1 - 1e-9), 20 * crampRms);
                Assert.True(step <= s.NoiseMicrovolts * s.GainFactor / 1000 * (1 + 1e-9), $"step {step} mV over floor");
                Assert.InRange(Math.Abs(s.DcOffsetMillivolts), 0, 0.25 * s.FullScaleMillivolts);
            }
        }

        Assert.Contains(Sites, s => s.FullScaleMillivolts < 3 * s.MaximalRmsMillivolts * FrontEndRandomisation.NominalCrampExcitation * s.GainFactor);
    }

    [Fact]
    public void Draw_Mains_HasDriftUpToHalfAHertzHarmonicsAndHumUpTo60Microvolts()
    {
        var drifts = Recordings.Select(r => r.FrontEnd.MainsDriftHz).ToArray();
        var hums = Recordings.Select(r => Metadata(r, "nuisance.hum_uv")).ToArray();

        Assert.All(drifts, d => Assert.InRange(d, 0, 0.5));
        Assert.True(drifts.Max() > 0.45, $"largest drift {drifts.Max()}");
        Assert.All(hums, h => Assert.InRange(h, 0, 60));
        Assert.True(hums.Min() < 3 && hums.Max() > 55, $"hum {hums.Min()}–{hums.Max()}");
        Assert.Contains(Recordings, r => r.FrontEnd.ThirdHarmonicFraction > 0.5);
        Assert.Contains(Recordings, r => r.FrontEnd.FifthHarmonicFraction > 0.3);
        Assert.Equal([50.0, 60.0], Recordings.Select(r => r.FrontEnd.MainsHz).Distinct().Order().ToArray());
    }

    [Fact]
    public void Draw_AccelerometerAndSkinTemperature_VaryBetweenRecordings()
    {
        Assert.Equal([0.0, 50, 100], Recordings.Select(r => r.FrontEnd.AccelerationRateHz).Distinct().Order().ToArray());
        var noise = Recordings.Select(r => r.FrontEnd.AccelerationNoiseG).ToArray();
        Assert.True(noise.Min() < 0.003 && noise.Max() > 0.02, $"accelerometer noise {noise.Min()}–{noise.Max()} g");
        var withTemperature = Recordings.Count(r => r.Layout.HasSkinTemperature);
        Assert.InRange(withTemperature, 90, 150);
    }

    [Fact]
    public void Draw_CrampOnsetRamps_Span50MillisecondsToOneSecond()
    {
        var ramps = Recordings.SelectMany(r => r.Plan.Cramps).Select(c => c.OnsetRampSeconds).ToArray();

        Assert.All(ramps, r => Assert.InRange(r, 0.05, 1));
        Assert.True(ramps.Min() < 0.1 && ramps.Max() > 0.9, $"ramps {ramps.Min()}–{ramps.Max()} s");
        Assert.Contains(Recordings.SelectMany(r => r.Plan.Cramps), c => c.HasProdrome);
        Assert.Contains(Recordings.SelectMany(r => r.Plan.Cramps), c => !c.HasProdrome);
    }

    [Fact]
    public void Draw_ExplicitHum_WinsOverTheRandomisedHum()
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = "rest", Seed = 4, Engine = SimulationEngine.Stochastic, Nuisances = new NuisanceOptions { HumMicrovolts = 0 } });

        Assert.Equal("0", recording.Layout.Metadata["nuisance.hum_uv"]);
    }
}
