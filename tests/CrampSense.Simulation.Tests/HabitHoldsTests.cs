using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Simulation.Tests;

public sealed class HabitHoldsTests
{
    private static SimulatedRecording Start(int seed, int? wearer, string scenario = "habit-holds") => Simulator.Start(new SimulationRequest
    {
        Scenario = scenario,
        Seed = seed,
        WearerSeed = wearer,
        Duration = TimeSpan.FromMinutes(10),
        Sites = ["calf", "shin"],
    });

    [Fact]
    public void Start_OneWearerTwoSeeds_SameHabitAndSubjectButANewPlan()
    {
        var first = Start(81001, wearer: 5001);
        var second = Start(82001, wearer: 5001);

        foreach (var key in new[] { "habit.site", "habit.level", "habit.ramp_s", "habit.wobble", "habit.hold_s", "subject.calf.fat_mm", "wearer_seed" })
        {
            Assert.Equal(first.Layout.Metadata[key], second.Layout.Metadata[key]);
        }

        Assert.NotEqual(first.Truth.Select(t => t.StartSeconds), second.Truth.Select(t => t.StartSeconds));
    }

    [Fact]
    public void Start_TwoWearers_DrawTheirOwnHabits()
    {
        var habits = Enumerable.Range(5001, 6).Select(w => Start(81001, w).Layout.Metadata["habit.level"]).ToArray();

        Assert.True(habits.Distinct(StringComparer.Ordinal).Count() >= 5, string.Join(", ", habits));
    }

    [Fact]
    public void Start_HabitHolds_AreLongHoldsOfTheHabitSiteOnlyWithoutPostureChange()
    {
        var recording = Start(81001, wearer: 5001);
        var site = recording.Layout.Metadata["habit.site"];

        // Artifacts (the scenario's nuisances, e.g. a motion artifact) aside.
        var holds = recording.Truth.Where(t => t.Kind != TruthKind.Artifact).ToArray();
        Assert.NotEmpty(holds);
        Assert.All(holds, t =>
        {
            Assert.Equal((TruthKind.Voluntary, site), (t.Kind, t.Site));
            Assert.True(t.DurationSeconds >= 8, $"{t.DurationSeconds} s");
        });
        Assert.Single(recording.Plan.Postures);
    }

    [Fact]
    public void Start_WithoutWearerSeed_TheWearerIsTheSeedsAsBefore()
    {
        var plain = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 7001, Duration = TimeSpan.FromMinutes(5) });
        var same = Simulator.Start(new SimulationRequest { Scenario = "night-cramp", Seed = 7001, WearerSeed = 7001, Duration = TimeSpan.FromMinutes(5) });

        Assert.Equal(plain.Truth, same.Truth);
        Assert.Equal(plain.Layout.Metadata["subject.calf.fat_mm"], same.Layout.Metadata["subject.calf.fat_mm"]);
        Assert.False(plain.Layout.Metadata.ContainsKey("wearer_seed"));
    }
}
