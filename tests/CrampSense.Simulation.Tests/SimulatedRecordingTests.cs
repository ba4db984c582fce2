using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Simulation.Tests;

public class SimulatedRecordingTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(860)]
    public void TryReadFrame_SlowSignals_ArriveAtOneAndFiftyHertz(double sampleRate)
    {
        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = "rest", Seed = 3, Duration = TimeSpan.FromSeconds(20), SampleRateHz = sampleRate });

        Assert.Equal(20, capture.Temperature.Count);
        Assert.Equal(1000, capture.Acceleration.Count);
        Assert.Equal(0, capture.Temperature[0].T);
        Assert.All(capture.Temperature.Zip(capture.Temperature.Skip(1)), p => Assert.InRange(p.Second.T - p.First.T, 0.99, 1.01));
    }

    [Fact]
    public void TryReadFrame_StillSubject_ReadsAboutOneGOfGravityOnZ()
    {
        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = "sleep", Seed = 4, Duration = TimeSpan.FromMinutes(1), Nuisances = NuisanceOptions.None });

        var still = capture.Acceleration.Where(a => a.T > 5).ToList();
        Assert.InRange(still.Average(a => Math.Sqrt((a.X * a.X) + (a.Y * a.Y) + (a.Z * a.Z))), 0.98, 1.02);
        Assert.InRange(still.Average(a => a.Z), 0.95, 1.02);
        Assert.All(capture.Temperature, t => Assert.InRange(t.Celsius, 30, 36));
    }

    [Fact]
    public void TryReadFrame_DroppedSamples_LeaveTimeGapsLabelledAsFaults()
    {
        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = "rest", Seed = 5, Duration = TimeSpan.FromMinutes(5), Nuisances = NuisanceOptions.None with { DroppedSamplesPerHour = 120 } });
        var recording = capture.Recording;
        var gaps = recording.Plan.Dropouts;
        var faults = recording.Truth.Where(t => t.Kind == TruthKind.Fault).ToList();

        Assert.NotEmpty(gaps);
        Assert.Equal(gaps.Count * capture.Layout.Sites.Count, faults.Count);
        Assert.True(recording.TotalFrames < 300_000);
        Assert.Equal(recording.TotalFrames, capture.Emg[0].Length);

        // No row inside a gap; skin temperature still once per second of clock time that has a row.
        var times = new List<double>();
        var rerun = Simulator.Start(new SimulationRequest { Scenario = "rest", Seed = 5, Duration = TimeSpan.FromMinutes(5), Nuisances = NuisanceOptions.None with { DroppedSamplesPerHour = 120 } });
        var frame = rerun.Layout.CreateFrame();
        while (rerun.TryReadFrame(frame))
        {
            times.Add(frame.TimeSeconds);
        }

        Assert.DoesNotContain(times, t => gaps.Any(g => t >= g.Start && t < g.End - 1e-9));
        Assert.Equal(times.Count, times.Distinct().Count());
        Assert.InRange(capture.Temperature.Count, 299, 300);
        Assert.Equal(capture.Temperature.Count, capture.Temperature.Select(t => Math.Floor(t.T)).Distinct().Count());
    }

    [Fact]
    public void TryReadFrame_FrameOfWrongSize_Throws()
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = "rest", Duration = TimeSpan.FromSeconds(10) });

        var ex = Assert.Throws<ArgumentException>(() => recording.TryReadFrame(new Signals.Recordings.RecordingFrame(1)));
        Assert.Contains("4", ex.Message);
    }

    [Fact]
    public void TryReadFrame_AfterTheLastFrame_ReturnsFalse()
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = "rest", Duration = TimeSpan.FromSeconds(10) });
        var frame = recording.Layout.CreateFrame();
        long count = 0;
        var lastTime = -1.0;
        while (recording.TryReadFrame(frame))
        {
            Assert.True(frame.TimeSeconds > lastTime);
            lastTime = frame.TimeSeconds;
            count++;
        }

        Assert.Equal(recording.TotalFrames, count);
        Assert.False(recording.TryReadFrame(frame));
        Assert.Equal(9.999, lastTime, 9);
    }

    /// <summary>The first seed from 1 whose randomised front end satisfies <paramref name="wanted"/>.</summary>
    private static SimulationRequest RandomisedRequest(Func<SimulatedRecording, bool> wanted, string scenario = "rest", double seconds = 20)
    {
        for (var seed = 1; ; seed++)
        {
            var request = new SimulationRequest { Scenario = scenario, Seed = seed, Engine = SimulationEngine.Stochastic, Duration = TimeSpan.FromSeconds(seconds), Sites = ["calf", "shin"] };
            if (wanted(Simulator.Start(request)))
            {
                return request;
            }
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(12)]
    public void TryReadFrame_RandomisedFrontEnd_GivesAdcCodesInsideFullScale(int bits)
    {
        var capture = RecordingCapture.Run(RandomisedRequest(r => r.FrontEnd.AdcBits == bits));

        for (var s = 0; s < capture.Emg.Length; s++)
        {
            var fullScale = capture.Recording.Subject.Sites[s].FullScaleMillivolts;
            var step = 2 * fullScale / (1 << bits);
            Assert.All(capture.Emg[s], v =>
            {
                Assert.InRange(v, -fullScale - 1e-6, fullScale);
                var code = (v + fullScale) / step;
                Assert.Equal(Math.Round(code), code, 2e-3);
            });
            Assert.True(capture.Emg[s].Distinct().Count() > 3, "a live channel uses more than a few codes");
        }
    }

    [Fact]
    public void Layout_RandomisedFrontEnd_DeclaresEachSitesOwnRailsAndNoSampleLiesBeyondThem()
    {
        // Seeds whose two sites got different rails: the key for every site cannot be right for both.
        var capture = RecordingCapture.Run(RandomisedRequest(r => r.Subject.Sites[0].FullScaleMillivolts != r.Subject.Sites[1].FullScaleMillivolts));

        for (var s = 0; s < capture.Emg.Length; s++)
        {
            var site = capture.Recording.Layout.Sites[s];
            var declared = RecordingFullScale.For(capture.Recording.Layout, site);
            Assert.NotNull(declared);
            var rails = capture.Recording.Subject.Sites[s].FullScaleMillivolts;
            Assert.InRange(declared.Value.HighMillivolts, rails - 5e-4, rails + 5e-4); // written with three decimals
            Assert.All(capture.Emg[s], v => Assert.InRange(v, declared.Value.LowMillivolts - 1e-3, declared.Value.HighMillivolts + 1e-3));
        }
    }

    [Fact]
    public void TryReadFrame_AccelerometerOnEveryRow_WhenTheFrontEndSaysSo()
    {
        var capture = RecordingCapture.Run(RandomisedRequest(r => r.FrontEnd.AccelerationRateHz == 0));

        Assert.Equal(capture.Emg[0].Length, capture.Acceleration.Count);
    }

    [Fact]
    public void TryReadFrame_AccelerometerAt100Hz_WhenTheFrontEndSaysSo()
    {
        var capture = RecordingCapture.Run(RandomisedRequest(r => r.FrontEnd.AccelerationRateHz == 100));

        Assert.Equal(20 * 100, capture.Acceleration.Count);
    }

    [Fact]
    public void TryReadFrame_FrontEndWithoutSkinTemperature_HasNoTemperatureColumnOrSamples()
    {
        var capture = RecordingCapture.Run(RandomisedRequest(r => !r.FrontEnd.HasSkinTemperature));

        Assert.False(capture.Layout.HasSkinTemperature);
        Assert.Empty(capture.Temperature);
    }

    [Fact]
    public void TryReadFrame_StrongCrampOnALowFullScale_Clips()
    {
        // A one-site night cramp whose full scale is under 3× its cramp-level RMS: the cramp reaches the rails.
        var request = RandomisedRequest(
            r => r.Subject.Sites[0].FullScaleMillivolts < 3 * r.Subject.Sites[0].MaximalRmsMillivolts * FrontEndRandomisation.NominalCrampExcitation * r.Subject.Sites[0].GainFactor
                && r.Plan.Cramps.Any(c => c.Site == 0),
            "night-cramp",
            seconds: 240);

        var capture = RecordingCapture.Run(request);

        var fullScale = capture.Recording.Subject.Sites[0].FullScaleMillivolts;
        var step = 2 * fullScale / (1 << capture.Recording.FrontEnd.AdcBits);
        Assert.Contains(capture.Emg[0], v => v >= fullScale - (1.5 * step) || v <= -fullScale + (0.5 * step));
    }
}
