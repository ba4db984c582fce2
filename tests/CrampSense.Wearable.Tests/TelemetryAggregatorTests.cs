using CrampSense.Detection;
using CrampSense.Detection.Calibration;
using CrampSense.Signals.Features;
using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class TelemetryAggregatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_WindowsEvery50msForTwoSeconds_OneMessagePerSitePerSecond()
    {
        var aggregator = new TelemetryAggregator(["calf", "shin"], profile: null, TimeSpan.FromSeconds(1));
        var windows = new WindowAssessment[2];
        var periods = new List<List<SiteTelemetry>>();
        for (var k = 1; k <= 40; k++)
        {
            windows[0] = Window(k * 0.05, envelope: 10, new ClassProbabilities(0.9f, 0.05f, 0.03f, 0.02f));
            windows[1] = Window(k * 0.05, envelope: 60, new ClassProbabilities(0.1f, 0.1f, 0.7f, 0.1f));
            if (aggregator.Add(windows, s => s == 1) is { } messages)
            {
                periods.Add(messages);
            }
        }

        Assert.Equal(2, periods.Count);
        var calf = periods[0][0];
        var shin = periods[0][1];
        Assert.Equal(("calf", 10.0, "rest", false), (calf.Site, calf.EnvelopeMicrovolts, calf.Class, calf.CrampActive));
        Assert.Equal(("shin", 60.0, "cramp", true), (shin.Site, shin.EnvelopeMicrovolts, shin.Class, shin.CrampActive));
        Assert.Null(calf.PercentOfMax);
        Assert.Equal(32.5, calf.SkinTemperatureCelsius);
    }

    [Fact]
    public void Add_HumOnOneSite_ReportsItsMeanHumLevel()
    {
        var aggregator = new TelemetryAggregator(["calf", "shin"], profile: null, TimeSpan.FromSeconds(1));
        var windows = new WindowAssessment[2];
        List<SiteTelemetry>? messages = null;
        for (var k = 1; k <= 20 && messages is null; k++)
        {
            windows[0] = Window(k * 0.05, envelope: 10, new ClassProbabilities(0.9f, 0.05f, 0.03f, 0.02f)) with { HumMicrovolts = k <= 10 ? 200 : 100 };
            windows[1] = Window(k * 0.05, envelope: 10, new ClassProbabilities(0.9f, 0.05f, 0.03f, 0.02f));
            messages = aggregator.Add(windows, _ => false);
        }

        Assert.Equal(2, messages!.Count);
        Assert.Equal(150.0, messages[0].HumMicrovolts);
        Assert.Equal(0.0, messages[1].HumMicrovolts);
    }

    [Fact]
    public void Add_WithProfile_EnvelopeInPercentOfTheCalibratedMaximum()
    {
        var profile = new PersonalProfile(new Dictionary<string, SiteCalibration> { ["calf"] = new(3, maxVoluntaryMicrovolts: 200) }, Now);
        var aggregator = new TelemetryAggregator(["calf"], profile, TimeSpan.FromSeconds(1));
        var windows = new WindowAssessment[1];
        List<SiteTelemetry>? messages = null;
        for (var k = 1; k <= 20 && messages is null; k++)
        {
            windows[0] = Window(k * 0.05, envelope: 50, new ClassProbabilities(0.1f, 0.8f, 0.05f, 0.05f));
            messages = aggregator.Add(windows, _ => false);
        }

        var message = Assert.Single(messages!);
        Assert.Equal(25.0, message.PercentOfMax);
        Assert.Equal("voluntary", message.Class);
    }

    [Fact]
    public void Add_MostWindowsFaulty_ClassIsFault()
    {
        var aggregator = new TelemetryAggregator(["calf"], profile: null, TimeSpan.FromSeconds(1));
        var windows = new WindowAssessment[1];
        List<SiteTelemetry>? messages = null;
        for (var k = 1; k <= 20 && messages is null; k++)
        {
            windows[0] = Window(k * 0.05, envelope: 0, new ClassProbabilities(0, 0, 0, 1)) with { Faults = k > 5 ? SignalQuality.Flat : SignalQuality.None };
            messages = aggregator.Add(windows, _ => false);
        }

        Assert.Equal("fault", Assert.Single(messages!).Class);
    }

    [Fact]
    public void ReadsScores_AfterACleanUnscoredWindow_IsFalseUntilThePeriodCloses()
    {
        // Voluntary windows, one faulty (it has no scores to read) and, from 0.5 s, one clean window the detector did not
        // score: from then on the first period's class is rest whatever the scores, so none of its later windows' are read.
        var aggregator = new TelemetryAggregator(["calf"], profile: null, TimeSpan.FromSeconds(1));
        var windows = new WindowAssessment[1];
        var voluntary = new ClassProbabilities(0.1f, 0.8f, 0.05f, 0.05f);
        var reads = new List<bool>();
        var classes = new List<string>();
        for (var k = 1; k <= 40; k++)
        {
            reads.Add(aggregator.ReadsScores(0));
            windows[0] = Window(k * 0.05, envelope: 50, k == 10 ? ClassProbabilities.NotScored : voluntary) with { Faults = k == 5 ? SignalQuality.LeadOff : SignalQuality.None };
            if (aggregator.Add(windows, _ => false) is { } messages)
            {
                classes.Add(messages[0].Class);
            }
        }

        Assert.All(reads[..10], Assert.True);
        Assert.All(reads[10..20], Assert.False);
        Assert.All(reads[20..], Assert.True);
        Assert.Equal(["rest", "voluntary"], classes);
    }

    private static WindowAssessment Window(double end, float envelope, ClassProbabilities probabilities) => new()
    {
        EndSeconds = end,
        EnvelopeMicrovolts = envelope,
        Probabilities = probabilities,
        HasSkinTemperature = true,
        SkinTemperatureCelsius = 32.5f,
    };
}
