using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class SiteMusclesTests
{
    [Theory]
    [InlineData("calf", MuscleGroup.Calf)]
    [InlineData("calf_left", MuscleGroup.Calf)]
    [InlineData("left_calf", MuscleGroup.Calf)]
    [InlineData("gastrocnemius_medial", MuscleGroup.Calf)]
    [InlineData("hamstring", MuscleGroup.Hamstring)]
    [InlineData("hamstrings_right", MuscleGroup.Hamstring)]
    [InlineData("quadriceps", MuscleGroup.Quadriceps)]
    [InlineData("quad_r", MuscleGroup.Quadriceps)]
    [InlineData("foot", MuscleGroup.Foot)]
    [InlineData("toes", MuscleGroup.Foot)]
    [InlineData("hand", MuscleGroup.Hand)]
    [InlineData("forearm_1", MuscleGroup.Hand)]
    [InlineData("forearm2", MuscleGroup.Hand)]
    public void GroupOf_KnownMuscleWordAnywhereInSite_GivesItsGroup(string site, MuscleGroup expected)
    {
        Assert.Equal(expected, SiteMuscles.GroupOf(site));
    }

    [Theory]
    [InlineData("neck")]
    [InlineData("emg_3")]
    [InlineData("")]
    [InlineData(null)]
    public void GroupOf_UnknownSite_GivesOther(string? site)
    {
        Assert.Equal(MuscleGroup.Other, SiteMuscles.GroupOf(site));
    }
}
