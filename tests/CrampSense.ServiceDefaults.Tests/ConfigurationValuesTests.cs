using Microsoft.Extensions.Configuration;
using Xunit;

namespace CrampSense.ServiceDefaults.Tests;

public sealed class ConfigurationValuesTests
{
    public enum Pacing
    {
        Spin,
        Sleep,
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    [InlineData(" broker ", "broker")]
    public void Text_MissingBlankOrPadded_IsNullOrTrimmed(string? value, string? expected)
    {
        Assert.Equal(expected, ConfigurationValues.Text(Config(value), "A:B"));
    }

    [Theory]
    [InlineData("abc", "A:B: 'abc' is not a whole number.")]
    [InlineData("1.5", "A:B: '1.5' is not a whole number.")]
    public void WholeNumber_NotANumber_NamesTheKeyAndValue(string value, string expected)
    {
        var problems = new List<string>();

        Assert.Null(ConfigurationValues.WholeNumber(Config(value), "A:B", problems));
        Assert.Equal([expected], problems);
    }

    [Fact]
    public void WholeNumber_OutsideItsRange_NamesTheRange()
    {
        var problems = new List<string>();

        Assert.Null(ConfigurationValues.WholeNumber(Config("0"), "A:B", problems, 1, 10));
        Assert.Equal(["A:B: '0' is not a whole number in 1 … 10."], problems);
    }

    [Theory]
    [InlineData("-3", double.PositiveInfinity, "A:B: '-3' is not a positive number.")]
    [InlineData("0", double.PositiveInfinity, "A:B: '0' is not a positive number.")]
    [InlineData("NaN", double.PositiveInfinity, "A:B: 'NaN' is not a positive number.")]
    [InlineData("4000", 3600, "A:B: '4000' is not a number in (0, 3600].")]
    public void PositiveNumber_BadValue_NamesTheKeyAndValue(string value, double max, string expected)
    {
        var problems = new List<string>();

        Assert.Null(ConfigurationValues.PositiveNumber(Config(value), "A:B", problems, max));
        Assert.Equal([expected], problems);
    }

    [Fact]
    public void Seconds_Number_IsThatManySeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), ConfigurationValues.Seconds(Config("1.5"), "A:B", []));
    }

    [Fact]
    public void TrueOrFalse_AnyCase_IsRead_AndOtherTextIsAProblem()
    {
        var problems = new List<string>();

        Assert.True(ConfigurationValues.TrueOrFalse(Config("TRUE"), "A:B", problems));
        Assert.Null(ConfigurationValues.TrueOrFalse(Config("yes"), "A:B", problems));
        Assert.Equal(["A:B: 'yes' is not true or false."], problems);
    }

    [Fact]
    public void OneOf_NameInAnyCase_IsTheValue_AndANumberIsAProblemListingTheNames()
    {
        var problems = new List<string>();

        Assert.Equal(Pacing.Sleep, ConfigurationValues.OneOf<Pacing>(Config("sleep"), "A:B", problems));
        Assert.Null(ConfigurationValues.OneOf<Pacing>(Config("1"), "A:B", problems));
        Assert.Equal(["A:B: '1' is not one of Spin, Sleep."], problems);
    }

    private static IConfiguration Config(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("A:B", value)]).Build();
}
