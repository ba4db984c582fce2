using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class BoundedMapTests
{
    [Fact]
    public void Set_BeyondTheBound_ForgetsTheOldestKeyAndKeepsUpdatedValues()
    {
        var map = new BoundedMap<int>(2);

        map.Set("a", 1);
        map.Set("b", 2);
        map.Set("a", 10);
        map.Set("c", 3);

        Assert.False(map.ContainsKey("a"));
        Assert.Equal((true, 2), (map.TryGet("b", out var b), b));
        Assert.Equal((true, 3), (map.TryGet("c", out var c), c));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void TryRemove_AKey_GivesItsValueOnce()
    {
        var map = new BoundedMap<string>(4);
        map.Set("a", "x");

        Assert.Equal((true, "x"), (map.TryRemove("a", out var first), first));
        Assert.False(map.TryRemove("a", out _));
    }
}
