using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CrampSense.ServiceDefaults.Tests;

public sealed class KeyedOptionsTests
{
    [Fact]
    public void Bind_ConvertibleValues_GivesThem()
    {
        var problems = new List<string>();

        var options = KeyedOptions.Bind<PumpOptions>(Config(("Pump:RateHz", "25"), ("Pump:Name", "left")), "Pump", problems);

        Assert.Empty(problems);
        Assert.Equal(25, options!.RateHz);
        Assert.Equal("left", options.Name);
    }

    [Fact]
    public void Bind_UnconvertibleValue_IsOneProblemNamingTheKeyAndNoOptions()
    {
        var problems = new List<string>();

        var options = KeyedOptions.Bind<PumpOptions>(Config(("Pump:RateHz", "fast")), "Pump", problems);

        Assert.Null(options);
        Assert.Contains("Pump:RateHz", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKeyWhenAsked_IsAProblemNamingIt()
    {
        var problems = new List<string>();

        var options = KeyedOptions.Bind<PumpOptions>(Config(("Pump:Rat", "25")), "Pump", problems, errorOnUnknownKeys: true);

        Assert.Null(options);
        Assert.Contains("Rat", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NoSection_GivesTheDefaults()
    {
        var problems = new List<string>();

        var options = KeyedOptions.Bind<PumpOptions>(Config(), "Pump", problems);

        Assert.Empty(problems);
        Assert.Equal(10, options!.RateHz);
    }

    [Fact]
    public void Load_ReadAndValidationProblems_ThrowsOneExceptionListingBoth()
    {
        var error = Assert.Throws<PumpConfigurationException>(() => KeyedOptions.Load<PumpOptions>(
            problems =>
            {
                problems.Add("Pump:Name: 'x y' is not a name.");
                return new PumpOptions { RateHz = -1 };
            },
            o => o.Validate(),
            problems => new PumpConfigurationException(problems)));

        Assert.Equal(["Pump:Name: 'x y' is not a name.", "Pump:RateHz: -1 must be above zero."], error.Problems);
        Assert.StartsWith("Invalid pump configuration:", error.Message, StringComparison.Ordinal);
        Assert.Contains("  Pump:RateHz: -1 must be above zero.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadGaveNothing_DoesNotValidateTheDefaults()
    {
        var validated = false;

        var error = Assert.Throws<PumpConfigurationException>(() => KeyedOptions.Load<PumpOptions>(
            problems =>
            {
                problems.Add("Pump:RateHz: cannot convert.");
                return null;
            },
            o =>
            {
                validated = true;
                return o.Validate();
            },
            problems => new PumpConfigurationException(problems)));

        Assert.False(validated);
        Assert.Equal(["Pump:RateHz: cannot convert."], error.Problems);
    }

    [Fact]
    public void AddKeyedOptions_BadKey_FailsWhenResolvedNamingTheKey()
    {
        using var provider = Services(Config(("Pump:RateHz", "0")));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PumpOptions>>().Value);

        Assert.Equal(["Pump:RateHz: 0 must be above zero."], error.Failures);
    }

    [Fact]
    public void AddKeyedOptions_GoodKeys_GivesTheOptionsAsThemselvesToo()
    {
        using var provider = Services(Config(("Pump:RateHz", "40")));

        Assert.Equal(40, provider.GetRequiredService<PumpOptions>().RateHz);
        Assert.Same(provider.GetRequiredService<PumpOptions>(), provider.GetRequiredService<IOptions<PumpOptions>>().Value);
    }

    [Fact]
    public void ProblemsOf_CheckThatThrowsArgumentException_IsItsMessage()
    {
        Assert.Equal(["Pump:RateHz: too fast"], KeyedOptions.ProblemsOf(() => throw new ArgumentException("Pump:RateHz: too fast")));
        Assert.Empty(KeyedOptions.ProblemsOf(() => { }));
    }

    private static ServiceProvider Services(IConfiguration configuration) => new ServiceCollection()
        .AddKeyedOptions(problems => KeyedOptions.Bind<PumpOptions>(configuration, "Pump", problems), o => o.Validate())
        .Services.BuildServiceProvider();

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    public sealed class PumpOptions
    {
        public double RateHz { get; set; } = 10;

        public string Name { get; set; } = "pump";

        public IEnumerable<string> Validate() => RateHz > 0 ? [] : [$"Pump:RateHz: {RateHz} must be above zero."];
    }

    public sealed class PumpConfigurationException(IReadOnlyList<string> problems) : ConfigurationProblemsException("pump", problems);
}
