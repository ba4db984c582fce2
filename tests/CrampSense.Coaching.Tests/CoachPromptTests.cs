using System.Text.Json;
using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class CoachPromptTests
{
    [Theory]
    [InlineData(PromptKind.Stretch, "stretch")]
    [InlineData(PromptKind.Hydrate, "hydrate")]
    [InlineData(PromptKind.Rest, "rest")]
    [InlineData(PromptKind.SeeDoctor, "see_doctor")]
    [InlineData(PromptKind.BedtimeStretch, "bedtime_stretch")]
    public void KindName_MatchesTheJsonNameOfTheKind(PromptKind kind, string expected)
    {
        Assert.Equal(expected, CoachPrompt.KindName(kind));
        Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(kind));
    }

    [Fact]
    public void KindName_UndefinedKind_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoachPrompt.KindName((PromptKind)99));
    }
}
