using CrampSense.Detection.Calibration;
using Xunit;

namespace CrampSense.Detection.Tests.Calibration;

public sealed class PersonalProfileTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FromJson_ReadsWhatToJsonWrote()
    {
        var profile = new PersonalProfile(
            new Dictionary<string, SiteCalibration>
            {
                ["calf"] = new(4.25, 410.5),
                ["hamstring"] = new(3.0),
            },
            Created,
            device: "pi-01");

        var read = PersonalProfile.FromJson(profile.ToJson(), "profile.json");

        Assert.Equal(1, read.Version);
        Assert.Equal(Created, read.Created);
        Assert.Equal("pi-01", read.Device);
        Assert.Equal(["calf", "hamstring"], read.Sites.Keys);
        Assert.Equal(profile.Sites["calf"], read.Sites["calf"]);
        Assert.Equal(profile.Sites["hamstring"], read.Sites["hamstring"]);
        Assert.Null(read.ForSite("hamstring")!.MaxVoluntaryMicrovolts);
        Assert.Null(read.ForSite("foot"));
    }

    [Fact]
    public void ToJson_UsesTheDocumentedShape()
    {
        var profile = new PersonalProfile(new Dictionary<string, SiteCalibration> { ["calf"] = new(4.5, 400) }, Created);

        string json = profile.ToJson();

        Assert.Contains("\"version\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"created\": \"2026-11-26T13:00:00+00:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rest_floor_uv\": 4.5", json, StringComparison.Ordinal);
        Assert.Contains("\"max_voluntary_uv\": 400", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"device\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ThenLoad_GivesTheSameProfile()
    {
        var profile = new PersonalProfile(new Dictionary<string, SiteCalibration> { ["calf"] = new(4.5, 400) }, Created);
        using var writer = new StringWriter();

        profile.Save(writer);
        var read = PersonalProfile.Load(new StringReader(writer.ToString()), "p.json");

        Assert.Equal(profile.Sites["calf"], read.Sites["calf"]);
    }

    [Theory]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": 4.5,}}}""", "line 1, column")]
    [InlineData("""{"created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": 4.5}}}""", "'version' is missing")]
    [InlineData("""{"version": 2, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": 4.5}}}""", "version 2 is not supported")]
    [InlineData("""{"version": 1, "sites": {"calf": {"rest_floor_uv": 4.5}}}""", "'created' is missing")]
    [InlineData("""{"version": 1, "created": "yesterday", "sites": {"calf": {"rest_floor_uv": 4.5}}}""", "$.created")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z"}""", "'sites' is missing or empty")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {}}""", "'sites' is missing or empty")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"Left Calf": {"rest_floor_uv": 4.5}}}""", "site 'Left Calf' is not a valid site name")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": null}}""", "site 'calf': expected an object")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"max_voluntary_uv": 400}}}""", "site 'calf': 'rest_floor_uv' is missing")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": 0}}}""", "site 'calf': 'rest_floor_uv' must be a positive number of µV, got 0")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": -3}}}""", "site 'calf': 'rest_floor_uv' must be a positive number of µV, got -3")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": 5, "max_voluntary_uv": 4}}}""", "site 'calf': 'max_voluntary_uv' (4) must be above 'rest_floor_uv' (5)")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor": 5}}}""", "$.sites.calf.rest_floor")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "sites": {"calf": {"rest_floor_uv": "five"}}}""", "$.sites.calf.rest_floor_uv")]
    [InlineData("""{"version": 1, "created": "2026-11-26T13:00:00Z", "owner": "me", "sites": {"calf": {"rest_floor_uv": 5}}}""", "owner")]
    [InlineData("null", "expected a JSON object")]
    public void FromJson_InvalidProfile_ThrowsNamingSourceSiteAndProperty(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => PersonalProfile.FromJson(json, "me.json"));

        Assert.StartsWith("me.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_ErrorOnALaterLine_GivesThatLine()
    {
        string json = "{\n  \"version\": 1,\n  \"created\": \"2026-11-26T13:00:00Z\",\n  \"sites\": {\"calf\": {\"rest_floor_uv\": 4.5 \"x\": 1}}\n}";

        var ex = Assert.Throws<FormatException>(() => PersonalProfile.FromJson(json, "me.json"));

        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoSites_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PersonalProfile(new Dictionary<string, SiteCalibration>(), Created));
    }

    [Fact]
    public void FromJson_HabitsWithoutCalibratedSites_ReadsWhatToJsonWrote()
    {
        var habit = new PersonalHabit("calf", new HabitRange(1.2, 1.9), new HabitRange(0.1, 0.4), examples: 5);
        var profile = new PersonalProfile(new Dictionary<string, SiteCalibration>(), Created, habits: [habit]);

        var read = PersonalProfile.FromJson(profile.ToJson(), "personal.json");

        Assert.Empty(read.Sites);
        Assert.Equal([habit], read.Habits);
        Assert.Equal([habit], read.HabitsFor("calf"));
        Assert.Empty(read.HabitsFor("shin"));
    }

    [Fact]
    public void FromJson_HabitWithItsDuration_ReadsWhatToJsonWrote()
    {
        var habit = new PersonalHabit("calf", new HabitRange(1.2, 1.9), new HabitRange(0.1, 0.4), examples: 5, confirmAfterSeconds: 42.5);
        var profile = new PersonalProfile(new Dictionary<string, SiteCalibration>(), Created, habits: [habit]);

        var read = PersonalProfile.FromJson(profile.ToJson(), "personal.json");

        Assert.Equal(42.5, Assert.Single(read.Habits).ConfirmAfterSeconds);
    }

    [Fact]
    public void FromJson_HabitWrittenBeforeItsDurationExisted_LoadsAsAHabitThatVetoes()
    {
        const string Json = """{"version": 1, "created": "2026-11-26T13:00:00Z", "habits": [{"site": "calf", "examples": 5, "log_mean_over_floor": [1, 2], "log_peak_over_mean": [0, 1]}]}""";

        var habit = Assert.Single(PersonalProfile.FromJson(Json, "personal.json").Habits);

        Assert.Null(habit.ConfirmAfterSeconds);
    }

    [Theory]
    [InlineData("""{"site": "calf", "examples": 5, "log_mean_over_floor": [1, 2], "log_peak_over_mean": [0, 1], "confirm_after_s": 0}""", "habits[0].confirm_after_s")]
    [InlineData("""{"site": "calf", "examples": 5, "log_mean_over_floor": [1, 2], "log_peak_over_mean": [0, 1], "confirm_after_s": -3}""", "habits[0].confirm_after_s")]
    [InlineData("""{"site": "Calf", "examples": 5, "log_mean_over_floor": [1, 2], "log_peak_over_mean": [0, 1]}""", "habits[0].site")]
    [InlineData("""{"site": "calf", "log_mean_over_floor": [1, 2], "log_peak_over_mean": [0, 1]}""", "habits[0].examples")]
    [InlineData("""{"site": "calf", "examples": 5, "log_mean_over_floor": [2, 1], "log_peak_over_mean": [0, 1]}""", "habits[0].log_mean_over_floor")]
    [InlineData("""{"site": "calf", "examples": 5, "log_mean_over_floor": [1, 2], "log_peak_over_mean": [0]}""", "habits[0].log_peak_over_mean")]
    public void FromJson_BadHabit_NamesTheFileAndTheKey(string habit, string key)
    {
        var json = $$"""{"version": 1, "created": "2026-11-26T13:00:00Z", "habits": [{{habit}}]}""";

        var error = Assert.Throws<FormatException>(() => PersonalProfile.FromJson(json, "personal.json"));

        Assert.StartsWith($"personal.json: {key}:", error.Message, StringComparison.Ordinal);
    }
}
