using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Simulation.Tests;

public class SimulatorTests
{
    [Fact]
    public void Start_SameRequestTwice_GivesBitIdenticalFramesAndTruth()
    {
        var request = new SimulationRequest { Scenario = "mixed", Seed = 5, Duration = TimeSpan.FromMinutes(3) };

        var first = Simulator.Start(request);
        var second = Simulator.Start(request);

        Assert.Equal(first.Truth, second.Truth);
        Assert.Equal(first.Layout.Metadata, second.Layout.Metadata);
        var a = first.Layout.CreateFrame();
        var b = second.Layout.CreateFrame();
        while (first.TryReadFrame(a))
        {
            Assert.True(second.TryReadFrame(b));
            for (var s = 0; s < a.EmgMillivolts.Length; s++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(a.EmgMillivolts[s]), BitConverter.SingleToInt32Bits(b.EmgMillivolts[s]));
            }

            Assert.Equal(a.HasAcceleration, b.HasAcceleration);
            Assert.Equal(a.AccelerationZG, b.AccelerationZG);
            Assert.Equal(a.SkinTemperatureCelsius, b.SkinTemperatureCelsius);
        }

        Assert.False(second.TryReadFrame(b));
    }

    [Fact]
    public void Start_DifferentSeeds_GiveDifferentSubjectsAndPlans()
    {
        var subjects = Enumerable.Range(1, 8)
            .Select(seed => Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = seed }))
            .ToList();

        var fats = subjects.Select(r => r.Subject.Sites[0].FatMillimetres).ToList();
        Assert.Equal(fats.Count, fats.Distinct().Count());
        Assert.True(fats.Max() - fats.Min() > 4, "fat layers should spread over the drawn range");
        var onsets = subjects.Select(r => r.Truth.First(t => t.Kind == TruthKind.Cramp).StartSeconds).ToList();
        Assert.Equal(onsets.Count, onsets.Distinct().Count());
    }

    [Fact]
    public void DrawSubject_ThickerFat_GivesSmallerMaximalAmplitude()
    {
        var random = new SimulationRandom(1);
        var sites = Enumerable.Range(0, 300).Select(_ => Simulator.DrawSubject(["calf"], random).Sites[0]).ToList();

        var thin = sites.Where(s => s.FatMillimetres < 6).Average(s => s.MaximalRmsMillivolts);
        var thick = sites.Where(s => s.FatMillimetres > 14).Average(s => s.MaximalRmsMillivolts);
        Assert.True(thick < 0.7 * thin, $"thick fat {thick:F2} mV vs thin {thin:F2} mV");
        Assert.All(sites, s => Assert.InRange(s.NoiseMicrovolts, 1.5, 5));
    }

    [Theory]
    [InlineData("night-cramp")]
    [InlineData("voluntary-holds")]
    [InlineData("walking")]
    public void Start_SingleSite_Works(string scenario)
    {
        var capture = RecordingCapture.Run(new SimulationRequest { Scenario = scenario, Seed = 12, Duration = TimeSpan.FromMinutes(2), Sites = ["calf"] });

        Assert.Single(capture.Layout.Sites);
        Assert.All(capture.Recording.Truth, t => Assert.Equal("calf", t.Site));
        Assert.Contains(capture.Recording.Truth, t => t.Kind is TruthKind.Cramp or TruthKind.Voluntary);
    }

    [Fact]
    public void Start_InvalidRequest_ThrowsWithEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => Simulator.Start(new SimulationRequest { Scenario = "nope", SampleRateHz = 0 }));

        Assert.Contains("--scenario", ex.Message);
        Assert.Contains("--sample-rate", ex.Message);
    }

    [Fact]
    public void Start_Layout_CarriesRequestAndSubjectInMetadata()
    {
        var recording = Simulator.Start(new SimulationRequest { Scenario = "rest", Seed = 42, Sites = ["calf", "hamstring"], SampleRateHz = 500, Duration = TimeSpan.FromSeconds(30) });

        Assert.Equal(500, recording.Layout.SampleRateHz);
        Assert.Equal(["calf", "hamstring"], recording.Layout.Sites);
        Assert.True(recording.Layout.HasSkinTemperature);
        Assert.True(recording.Layout.HasAcceleration);
        Assert.Equal("rest", recording.Layout.Metadata["scenario"]);
        Assert.Equal("42", recording.Layout.Metadata["seed"]);
        Assert.Equal(Simulator.ModelVersion, recording.Layout.Metadata["source"]);
        Assert.True(double.Parse(recording.Layout.Metadata["subject.calf.fat_mm"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(15_000, recording.TotalFrames);
    }

    [Fact]
    public void Start_StochasticEngine_SameRequestTwice_GivesBitIdenticalFrames()
    {
        var request = new SimulationRequest { Scenario = "mixed", Seed = 9, Duration = TimeSpan.FromMinutes(3), Engine = SimulationEngine.Stochastic };

        var first = RecordingCapture.Run(request);
        var second = RecordingCapture.Run(request);

        Assert.Equal(first.Recording.Truth, second.Recording.Truth);
        Assert.Equal(first.Layout.Metadata, second.Layout.Metadata);
        for (var s = 0; s < first.Emg.Length; s++)
        {
            Assert.Equal(first.Emg[s], second.Emg[s]);
        }

        Assert.Equal(first.Acceleration, second.Acceleration);
        Assert.Equal(first.Temperature, second.Temperature);
    }

    [Theory]
    [InlineData("night-cramp", 3)]
    [InlineData("exercise-cramp", 4)]
    [InlineData("mixed", 5)]
    [InlineData("voluntary-holds", 6)]
    public void Start_EitherEngine_SameSeed_PlansTheSameTruth(string scenario, int seed)
    {
        SimulationRequest Request(SimulationEngine engine, bool? randomise) => new() { Scenario = scenario, Seed = seed, Engine = engine, RandomiseFrontEnd = randomise };

        var motorUnit = Simulator.Start(Request(SimulationEngine.MotorUnit, null));
        var motorUnitRandomised = Simulator.Start(Request(SimulationEngine.MotorUnit, true));
        var stochastic = Simulator.Start(Request(SimulationEngine.Stochastic, null));
        var stochasticFixed = Simulator.Start(Request(SimulationEngine.Stochastic, false));

        Assert.NotEmpty(motorUnit.Truth);
        Assert.Equal(motorUnit.Truth, stochastic.Truth);
        Assert.Equal(motorUnit.Truth, motorUnitRandomised.Truth);
        Assert.Equal(motorUnit.Truth, stochasticFixed.Truth);
        Assert.Equal("stochastic", stochastic.Layout.Metadata["engine"]);
        Assert.Equal("randomised", stochastic.Layout.Metadata["front_end"]);
        Assert.False(stochasticFixed.Layout.Metadata.ContainsKey("front_end"));
    }

    [Fact]
    public void Start_StochasticCramps_StandAtLeastThreeTimesAboveTheFloor()
    {
        // 6 randomised one-site night cramps without nuisances (seeds 1–6): the cramp's RMS over the recording's
        // first 5 s (the floor, before any prodrome), both after a 20-Hz high-pass that removes the DC offset.
        for (var seed = 1; seed <= 6; seed++)
        {
            var capture = RecordingCapture.Run(new SimulationRequest { Scenario = "night-cramp", Seed = seed, Engine = SimulationEngine.Stochastic, Sites = ["calf"], Nuisances = NuisanceOptions.None, Duration = TimeSpan.FromMinutes(5) });
            var fs = capture.SampleRateHz;
            var emg = Dsp.HighPass(capture.Emg[0], fs, 20);
            var cramp = capture.Recording.Truth.First(t => t.Kind == Signals.Recordings.TruthKind.Cramp);
            var quietEnd = Math.Min(5, capture.Recording.Truth.Min(t => t.StartSeconds));
            var floor = Dsp.Rms(emg.Skip((int)fs).Take((int)((quietEnd - 1) * fs)).ToList());
            var inside = Dsp.Rms(emg.Skip((int)((cramp.StartSeconds + 1) * fs)).Take((int)((cramp.EndSeconds - cramp.StartSeconds - 2) * fs)).ToList());

            Assert.True(inside > 2.8 * floor, $"seed {seed}: cramp {inside * 1000:0.0} µV over floor {floor * 1000:0.0} µV");
        }
    }
}
