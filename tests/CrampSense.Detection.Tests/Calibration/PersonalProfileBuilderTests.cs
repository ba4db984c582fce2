using CrampSense.Detection.Calibration;
using Xunit;

namespace CrampSense.Detection.Tests.Calibration;

public sealed class PersonalProfileBuilderTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_RestAndMax_GivesFloorAndMaxPerSite()
    {
        var builder = new PersonalProfileBuilder(envelopeRateHz: 100);
        builder.AddRest("calf", Enumerable.Repeat(4f, 1000).ToArray());
        builder.AddRest("foot", Enumerable.Repeat(3f, 1000).ToArray());
        builder.AddMaxVoluntary("calf", Enumerable.Repeat(400f, 100).ToArray());

        var profile = builder.Build(Created, "pi-01");

        Assert.Equal(new SiteCalibration(4, 400), profile.Sites["calf"]);
        Assert.Equal(new SiteCalibration(3), profile.Sites["foot"]);
        Assert.Equal("pi-01", profile.Device);
    }

    [Fact]
    public void Build_NoRest_ThrowsSayingSo()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new PersonalProfileBuilder(100).Build(Created));

        Assert.Contains("No rest envelope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MaxWithoutRest_ThrowsNamingTheSite()
    {
        var builder = new PersonalProfileBuilder(100);
        builder.AddRest("calf", [4f, 4f]);
        builder.AddMaxVoluntary("foot", Enumerable.Repeat(400f, 100).ToArray());

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Created));

        Assert.Contains("'foot'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MaxNotAboveRest_ThrowsNamingTheSite()
    {
        var builder = new PersonalProfileBuilder(100);
        builder.AddRest("calf", Enumerable.Repeat(10f, 100).ToArray());
        builder.AddMaxVoluntary("calf", Enumerable.Repeat(8f, 100).ToArray());

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Created));

        Assert.Contains("'calf'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not above the rest floor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MaxShorterThanOneWindow_ThrowsNamingTheSite()
    {
        var builder = new PersonalProfileBuilder(100);
        builder.AddRest("calf", Enumerable.Repeat(10f, 100).ToArray());
        builder.AddMaxVoluntary("calf", Enumerable.Repeat(400f, 10).ToArray());

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Created));

        Assert.Contains("'calf'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ZeroRestEnvelope_ThrowsNamingTheSite()
    {
        var builder = new PersonalProfileBuilder(100);
        builder.AddRest("calf", new float[100]);

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Created));

        Assert.Contains("'calf'", ex.Message, StringComparison.Ordinal);
    }
}
