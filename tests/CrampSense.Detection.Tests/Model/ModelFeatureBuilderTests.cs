using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Detection.Tests.Model;

public sealed class ModelFeatureBuilderTests
{
    private const double Rate = 1000;

    /// <summary>Runs white noise with per-site amplitude <paramref name="amplitudeMv"/>(site, t) through extractor and builder; returns the inputs of every window.</summary>
    private static List<(double T, float[][] Sites, bool Motion)> Run(
        string[] sites,
        double seconds,
        Func<int, double, double> amplitudeMv,
        Func<double, (float X, float Y, float Z)>? acceleration = null,
        PersonalProfile? profile = null)
    {
        var layout = new RecordingLayout(Rate, sites, hasSkinTemperature: false, hasAcceleration: acceleration is not null);
        var extractor = new EmgFeatureExtractor(layout);
        var features = extractor.CreateFrame();
        var builder = new ModelFeatureBuilder(layout, FeatureExtractorOptions.Default.HopSeconds, profile);
        var frame = layout.CreateFrame();
        var random = new Random(3);
        var result = new List<(double, float[][], bool)>();
        for (long n = 0; n < (long)(seconds * Rate); n++)
        {
            double t = n / Rate;
            frame.TimeSeconds = t;
            for (int s = 0; s < sites.Length; s++)
            {
                frame.EmgMillivolts[s] = (float)(amplitudeMv(s, t) * ((random.NextDouble() * 2) - 1) * Math.Sqrt(3));
            }

            frame.ClearSlowSignals();
            if (acceleration is not null && n % 20 == 0)
            {
                var (x, y, z) = acceleration(t);
                frame.HasAcceleration = true;
                frame.AccelerationXG = x;
                frame.AccelerationYG = y;
                frame.AccelerationZG = z;
            }

            builder.OnRow(frame);
            if (extractor.Process(frame, features))
            {
                builder.Compute(features);
                result.Add((features.TimeSeconds, Enumerable.Range(0, sites.Length).Select(s => builder.Site(s).ToArray()).ToArray(), (builder.Intent(0) & (IntentEvidence.Motion | IntentEvidence.PostureChange)) != 0));
            }
        }

        return result;
    }

    private static float At(List<(double T, float[][] Sites, bool Motion)> windows, double t, int site, ModelFeature feature) =>
        windows.Last(w => w.T <= t + 1e-9).Sites[site][(int)feature];

    [Fact]
    public void Compute_StepToTenTimesTheFloor_RatioIsAboutOneAndActivityTimeGrowsToItsCap()
    {
        var windows = Run(["calf"], 30, (_, t) => t < 10 ? 0.005 : 0.05);

        Assert.InRange(At(windows, 9.9, 0, ModelFeature.LogRatio), -0.15f, 0.15f);
        Assert.Equal(0f, At(windows, 9.9, 0, ModelFeature.ActiveSeconds));
        Assert.InRange(At(windows, 14, 0, ModelFeature.LogRatio), 0.85f, 1.15f);
        Assert.InRange(At(windows, 14, 0, ModelFeature.ActiveSeconds), 3.7f, 4.2f);
        Assert.Equal(10f, At(windows, 29, 0, ModelFeature.ActiveSeconds));
        Assert.InRange(At(windows, 14, 0, ModelFeature.LogRatioMin3s), 0.8f, 1.2f);
    }

    [Fact]
    public void Compute_TenMinutesOfSustainedActivity_DoesNotLiftTheFloor()
    {
        var windows = Run(["calf"], 620, (_, t) => t < 20 ? 0.005 : 0.1);

        Assert.InRange(At(windows, 619, 0, ModelFeature.LogRatio), 1.1f, 1.45f);
    }

    [Fact]
    public void Compute_BurstsOnceASecond_CountTransitionsAndVariability()
    {
        var windows = Run(["calf"], 30, (_, t) => t > 10 && (t % 1.0) < 0.4 ? 0.1 : 0.005);

        Assert.InRange(At(windows, 25, 0, ModelFeature.Transitions5s), 8f, 11f);
        Assert.True(At(windows, 25, 0, ModelFeature.LogRatioSd3s) > 0.3f);
        Assert.True(At(windows, 25, 0, ModelFeature.ActiveSeconds) < 1f);
    }

    [Fact]
    public void Compute_OtherSiteActive_ShowsInThisSitesContext()
    {
        var windows = Run(["calf", "shin"], 20, (s, t) => s == 1 && t > 10 ? 0.05 : 0.005);

        Assert.InRange(At(windows, 15, 0, ModelFeature.OtherSitesLogRatio), 0.85f, 1.15f);
        Assert.InRange(At(windows, 15, 0, ModelFeature.OtherSitesActiveSeconds), 4f, 5.1f);
        Assert.InRange(At(windows, 15, 1, ModelFeature.OtherSitesLogRatio), -0.2f, 0.2f);
        Assert.Equal(1f, At(windows, 15, 0, ModelFeature.HasOtherSites));
    }

    [Fact]
    public void Compute_SingleSiteWithoutAccelerometer_MarksTheMissingContext()
    {
        var windows = Run(["calf"], 5, (_, _) => 0.005);

        Assert.Equal(0f, At(windows, 4, 0, ModelFeature.HasOtherSites));
        Assert.Equal(0f, At(windows, 4, 0, ModelFeature.OtherSitesLogRatio));
        Assert.Equal(0f, At(windows, 4, 0, ModelFeature.HasAccelerometer));
        Assert.Equal(-7f, At(windows, 4, 0, ModelFeature.LogMotionEnergy));
        Assert.Equal(-1f, At(windows, 4, 0, ModelFeature.PercentOfMax));
        Assert.All(windows, w => Assert.All(w.Sites[0], v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Compute_GravityTurnsNinetyDegrees_ReportsThePostureChangeAsMotionContext()
    {
        // Lying down: gravity moves from z to x over one second at t = 10 s.
        var windows = Run(["calf"], 20, (_, _) => 0.005, t =>
        {
            double angle = Math.Clamp(t - 10, 0, 1) * Math.PI / 2;
            return ((float)Math.Sin(angle), 0f, (float)Math.Cos(angle));
        });

        Assert.True(At(windows, 9.5, 0, ModelFeature.PostureChange5s) < 2f);
        Assert.False(windows.Last(w => w.T <= 9.5).Motion);
        Assert.InRange(At(windows, 13, 0, ModelFeature.PostureChange5s), 80f, 92f);

        // As context of a contraction's onset the change counts for ModelFeatureBuilder.ContextLookbackSeconds.
        Assert.True(windows.Last(w => w.T <= 11.5).Motion);
        Assert.False(windows.Last(w => w.T <= 13).Motion);
        Assert.True(At(windows, 19.9, 0, ModelFeature.PostureChange5s) < 10f);
    }

    [Fact]
    public void Compute_HoldBegunWithAPostureChange_RemembersItForTheWholeRun()
    {
        // Gravity turns 90° at 10 s; the site is active from 10.5 s to 30 s, another site with it.
        var windows = Run(
            ["calf", "shin"],
            35,
            (_, t) => t is > 10.5 and < 30 ? 0.1 : 0.005,
            t =>
            {
                double angle = Math.Clamp(t - 10, 0, 1) * Math.PI / 2;
                return ((float)Math.Sin(angle), 0f, (float)Math.Cos(angle));
            });

        Assert.True(At(windows, 25, 0, ModelFeature.PostureChange5s) < 5f);
        Assert.InRange(At(windows, 25, 0, ModelFeature.RunPostureChange), 80f, 92f);
        Assert.InRange(At(windows, 25, 0, ModelFeature.RunOtherSitesActiveFraction), 0.95f, 1f);
        Assert.True(At(windows, 34, 0, ModelFeature.RunPostureChange) < 5f, "the memory ends with the run");
    }

    [Fact]
    public void Compute_WithCalibratedMaximum_GivesPercentOfMax()
    {
        var profile = new PersonalProfile(
            new Dictionary<string, SiteCalibration> { ["calf"] = new SiteCalibration(4.0, 400.0) },
            DateTimeOffset.UnixEpoch);
        var windows = Run(["calf"], 5, (_, t) => t < 2 ? 0.005 : 0.2, profile: profile);

        // 0.2 mV RMS uniform noise after the band-pass: envelope mean ≈ 0.85·0.2·0.87 ≈ 0.15 mV ≈ 37 % of 400 µV.
        Assert.InRange(At(windows, 4.5, 0, ModelFeature.PercentOfMax), 25f, 50f);
    }

    [Fact]
    public void Constructor_BadHop_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelFeatureBuilder(new RecordingLayout(Rate, ["calf"], false, false), 0));
}
