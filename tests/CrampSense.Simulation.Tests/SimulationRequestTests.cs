using Xunit;

namespace CrampSense.Simulation.Tests;

public class SimulationRequestTests
{
    [Fact]
    public void Validate_DefaultsForKnownScenario_HasNoErrors()
    {
        Assert.Empty(new SimulationRequest { Scenario = "rest" }.Validate());
    }

    [Theory]
    [InlineData("no-such-scenario", "--scenario")]
    [InlineData("", "--scenario")]
    public void Validate_BadScenario_NamesTheOption(string scenario, string option)
    {
        var errors = new SimulationRequest { Scenario = scenario }.Validate();

        var error = Assert.Single(errors);
        Assert.StartsWith(option, error);
        Assert.Contains("night-cramp", error); // lists the known names
    }

    [Fact]
    public void Validate_EveryBadOption_GivesOneMessageEach()
    {
        var request = new SimulationRequest
        {
            Scenario = "rest",
            Duration = TimeSpan.FromSeconds(-1),
            Sites = ["calf", "Calf!", "calf"],
            SampleRateHz = 50,
            MainsFrequencyHz = 55,
            Nuisances = new NuisanceOptions { MotionArtifactsPerHour = -3, HumMicrovolts = double.NaN },
        };

        var errors = request.Validate();

        Assert.Contains(errors, e => e.StartsWith("--duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--sites", StringComparison.Ordinal) && e.Contains("'Calf!'"));
        Assert.Contains(errors, e => e.StartsWith("--sites", StringComparison.Ordinal) && e.Contains("twice"));
        Assert.Contains(errors, e => e.StartsWith("--sample-rate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--mains", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--motion-per-hour", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--hum-uv", StringComparison.Ordinal));
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void Validate_DurationShorterThanScenarioNeeds_NamesScenarioAndMinimum()
    {
        var errors = new SimulationRequest { Scenario = "night-cramp", Duration = TimeSpan.FromSeconds(20) }.Validate();

        var error = Assert.Single(errors);
        Assert.Contains("--duration", error);
        Assert.Contains("night-cramp", error);
        Assert.Contains("90 s", error);
    }

    [Fact]
    public void Validate_EmptyAndTooManySites_AreRejected()
    {
        Assert.Contains(new SimulationRequest { Scenario = "rest", Sites = [] }.Validate(), e => e.StartsWith("--sites", StringComparison.Ordinal));
        var many = Enumerable.Range(0, SimulationRequest.MaximumSites + 1).Select(i => $"s{i}").ToArray();
        Assert.Contains(new SimulationRequest { Scenario = "rest", Sites = many }.Validate(), e => e.Contains("at most", StringComparison.Ordinal));
    }
}
