using CrampSense.Simulation.Physiology;
using Xunit;

namespace CrampSense.Simulation.Tests;

public class MotorUnitPoolTests
{
    [Fact]
    public void CrampDischarge_RatesAndVariability_MatchMinetto2009()
    {
        // Minetto et al. 2009: 6–25 pps (mean 14.5 ± 5.1), ISI CV 44.6 ± 9.7 %.
        var units = CollectIntervals("night-cramp", DischargeKind.Cramp, seeds: [1, 2, 3], pauseSeconds: 0.4);

        var rates = units.Where(u => u.Count >= 10).Select(u => 1 / u.Average()).ToList();
        Assert.True(rates.Count >= 20, $"only {rates.Count} cramp units");
        // Minimum 6.0 ± 0.8 pps, maximum 25.0 ± 8.0 pps: near-threshold units may dip a little below 6.
        Assert.True(rates.Count(r => r is >= 5.2 and <= 25.5) >= 0.95 * rates.Count);
        Assert.All(rates, r => Assert.InRange(r, 4.5, 28));
        Assert.InRange(rates.Average(), 9, 20);
        var cvs = units.Where(u => u.Count >= 20).Select(LocalCv).ToList();
        Assert.InRange(Median(cvs), 0.35, 0.58);
    }

    [Fact]
    public void VoluntaryDischarge_IsRegular_AndWithinFuglevandRates()
    {
        // Fuglevand et al. 1993: 8 pps at recruitment up to 25–35 pps; ISI CV 0.1–0.2.
        var units = CollectIntervals("voluntary-holds", DischargeKind.Voluntary, seeds: [1, 2], pauseSeconds: 0.2);

        var rates = units.Where(u => u.Count >= 10).Select(u => 1 / u.Average()).ToList();
        Assert.True(rates.Count >= 20);
        Assert.All(rates, r => Assert.InRange(r, 7, 36));
        var cvs = units.Where(u => u.Count >= 20).Select(LocalCv).ToList();
        Assert.InRange(Median(cvs), 0.08, 0.22);
    }

    [Fact]
    public void Render_ThickerFat_LowersMedianFrequency()
    {
        var thin = RenderSteadyContraction(fatMillimetres: 2);
        var thick = RenderSteadyContraction(fatMillimetres: 18);

        var thinMedian = Dsp.MedianFrequency(thin, 1000);
        var thickMedian = Dsp.MedianFrequency(thick, 1000);
        Assert.InRange(thinMedian, 60, 160);
        Assert.True(thickMedian < 0.85 * thinMedian, $"fat 18 mm: {thickMedian:F0} Hz, fat 2 mm: {thinMedian:F0} Hz");
    }

    [Fact]
    public void Render_MaximalExcitation_ReachesTheSiteMaximalRms()
    {
        var signal = RenderSteadyContraction(fatMillimetres: 5, excitation: 1);

        // The pool is scaled so a maximal contraction has the site's maximal RMS (0.5 mV here).
        Assert.InRange(Dsp.Rms(signal), 0.4, 0.6);
    }

    [Fact]
    public void Render_HigherExcitation_RecruitsMoreAndGrowsRms()
    {
        var weak = Dsp.Rms(RenderSteadyContraction(fatMillimetres: 5, excitation: 0.1));
        var strong = Dsp.Rms(RenderSteadyContraction(fatMillimetres: 5, excitation: 0.5));

        Assert.True(strong > 2 * weak, $"rms {weak:F3} mV at 10 %, {strong:F3} mV at 50 %");
    }

    private static double[] RenderSteadyContraction(double fatMillimetres, double excitation = 0.4)
    {
        var site = new SiteParameters("calf", fatMillimetres, 1, 1, 0, 0.5, 0, 1, 1, 0, 150, 20);
        var pool = new MotorUnitPool(site, 0.15, 1000, new SimulationRandom(99));
        const int Block = 500;
        var buffer = new float[Block + pool.MaxTemplateLength + 20];
        var drive = Enumerable.Repeat((float)excitation, Block).ToArray();
        var none = new float[Block];
        var bins = new byte[Block];
        var output = new List<double>();
        for (var b = 0; b < 20; b++)
        {
            pool.Render(b * Block, Block, drive, none, bins, buffer);
            output.AddRange(buffer.Take(Block).Select(v => (double)v));
            var tail = buffer.Length - Block;
            Array.Copy(buffer, Block, buffer, 0, tail);
            Array.Clear(buffer, tail, Block);
        }

        return [.. output.Skip(1000)];
    }

    /// <summary>ISIs per unit, split where the unit paused longer than <paramref name="pauseSeconds"/> (derecruited
    /// near threshold), so each list is one continuous firing run.</summary>
    private static List<List<double>> CollectIntervals(string scenario, DischargeKind kind, int[] seeds, double pauseSeconds)
    {
        var runs = new List<List<double>>();
        foreach (var seed in seeds)
        {
            var last = new Dictionary<(int Site, int Unit), double>();
            var current = new Dictionary<(int Site, int Unit), List<double>>();
            var recording = Simulator.Start(new SimulationRequest { Scenario = scenario, Seed = seed, Duration = TimeSpan.FromMinutes(6), Nuisances = NuisanceOptions.None });
            recording.DischargeObserver = (site, unit, t, k) =>
            {
                var isKind = k == kind || (kind == DischargeKind.Cramp && k == DischargeKind.Doublet);
                if (!isKind)
                {
                    return;
                }

                var key = (site, unit);
                if (last.TryGetValue(key, out var previous) && t - previous < pauseSeconds)
                {
                    current[key].Add(t - previous);
                }
                else
                {
                    current[key] = [];
                    runs.Add(current[key]);
                }

                last[key] = t;
            };
            var frame = recording.Layout.CreateFrame();
            while (recording.TryReadFrame(frame))
            {
            }
        }

        return runs;
    }

    /// <summary>Mean CV over windows of 10 intervals, so slow changes of the mean rate do not count as irregularity.</summary>
    private static double LocalCv(List<double> intervals)
    {
        var cvs = new List<double>();
        for (var i = 0; i + 10 <= intervals.Count; i += 10)
        {
            var window = intervals.GetRange(i, 10);
            var mean = window.Average();
            cvs.Add(Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / (window.Count - 1)) / mean);
        }

        return cvs.Average();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
