using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace CrampSense.Coaching.Tests;

public sealed class CoachTextsTests
{
    public static TheoryData<string> EmbeddedLanguages => new(CoachTexts.Languages);

    [Fact]
    public void Languages_IncludeEnglishAndGerman()
    {
        Assert.Contains("en", CoachTexts.Languages);
        Assert.Contains("de", CoachTexts.Languages);
    }

    [Theory]
    [MemberData(nameof(EmbeddedLanguages))]
    public void Load_EveryLanguage_HasATitleAndTextForEveryMuscleGroup(string language)
    {
        var texts = CoachTexts.Load(language);

        foreach (var group in Enum.GetValues<MuscleGroup>())
        {
            Assert.False(string.IsNullOrWhiteSpace(texts.Get(CoachTexts.StretchKey(group, "title"))));
            Assert.Contains("{hold_s}", texts.Get(CoachTexts.StretchKey(group, "text")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Keys_CoverEveryPromptKind()
    {
        foreach (var kind in Enum.GetValues<PromptKind>())
        {
            var prefix = CoachPrompt.KindName(kind) + ".";
            Assert.Contains(CoachTexts.Keys, k => k.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(EmbeddedLanguages))]
    public void EmbeddedFile_HasExactlyTheEnglishKeysAndPlaceholders(string language)
    {
        var english = RawTexts("en");
        var other = RawTexts(language);

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), other.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in english)
        {
            Assert.Equal(Placeholders(text), Placeholders(other[key]));
        }
    }

    [Fact]
    public void EmbeddedGerman_IsTranslatedNotCopied()
    {
        var english = RawTexts("en");
        var german = RawTexts("de");

        Assert.All(english.Keys, key => Assert.NotEqual(english[key], german[key]));
        var causes = german["see_doctor.causes.text"];
        foreach (var word in new[] { "Magnesium", "Kalium", "Kalzium", "Diabetes", "Nieren", "Schilddrüse", "Nerven", "Diuretika" })
        {
            Assert.Contains(word, causes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_UnknownLanguage_ThrowsListingTheEmbeddedOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => CoachTexts.Load("fr"));

        Assert.Contains("'fr'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("en", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingKey_ThrowsNamingSourceAndKey()
    {
        var json = JsonSerializer.Serialize(RawTexts("en").Where(p => p.Key != "rest.text").ToDictionary());

        var ex = Assert.Throws<FormatException>(() => CoachTexts.Parse(json, "fr", "coach-texts-fr.json"));

        Assert.Contains("coach-texts-fr.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rest.text", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_ThrowsNamingIt()
    {
        var texts = RawTexts("en");
        texts["rest.txet"] = "typo";

        var ex = Assert.Throws<FormatException>(() => CoachTexts.Parse(JsonSerializer.Serialize(texts), "fr", "fr.json"));

        Assert.Contains("'rest.txet'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PlaceholderNotAllowedForKey_ThrowsNamingKeyAndAllowedOnes()
    {
        var texts = RawTexts("en");
        texts["rest.text"] = "Rest for {hold_s} s.";

        var ex = Assert.Throws<FormatException>(() => CoachTexts.Parse(JsonSerializer.Serialize(texts), "fr", "fr.json"));

        Assert.Contains("'rest.text'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("{rest_min}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyText_Throws()
    {
        var texts = RawTexts("en");
        texts["aftercare.text"] = " ";

        var ex = Assert.Throws<FormatException>(() => CoachTexts.Parse(JsonSerializer.Serialize(texts), "fr", "fr.json"));

        Assert.Contains("'aftercare.text'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedJson_ThrowsWithLine()
    {
        var ex = Assert.Throws<FormatException>(() => CoachTexts.Parse("{\n  \"rest.text\": \"x\",\n  oops\n}", "fr", "fr.json"));

        Assert.Contains("fr.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CompleteTranslation_IsUsed()
    {
        var texts = RawTexts("en").ToDictionary(p => p.Key, p => "X " + p.Value);

        var parsed = CoachTexts.Parse(JsonSerializer.Serialize(texts), "xx", "xx.json");

        Assert.Equal("xx", parsed.Language);
        Assert.StartsWith("X ", parsed.Get("rest.title"), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ReplacesEveryNamedPlaceholder()
    {
        var texts = CoachTexts.Load("en");

        var text = texts.Format("bedtime_stretch.text", ("hold_s", 12), ("reps", 4));

        Assert.Contains("12 seconds", text, StringComparison.Ordinal);
        Assert.Contains("4 times", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PlaceholdersOf_UnknownKey_Throws()
    {
        Assert.Equal(["rest_min"], CoachTexts.PlaceholdersOf("rest.text"));
        Assert.Throws<ArgumentException>(() => CoachTexts.PlaceholdersOf("nope"));
    }

    private static Dictionary<string, string> RawTexts(string language)
    {
        using var stream = typeof(CoachTexts).Assembly.GetManifestResourceStream($"CrampSense.Coaching.Texts.coach-texts-{language}.json")!;
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private static List<string> Placeholders(string text) =>
        [.. Regex.Matches(text, @"\{([a-z_]+)\}").Select(m => m.Value).Order(StringComparer.Ordinal)];
}
