using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrampSense.Signals.Recordings;

namespace CrampSense.Coaching;

/// <summary>
/// The prompt titles and texts of one language, keyed by text key (e.g. <c>stretch.calf.text</c>). Each language
/// is a flat JSON object embedded in this assembly (<c>Texts/coach-texts-&lt;lang&gt;.json</c>); a translation
/// must have exactly the keys of <see cref="Keys"/>, and may use only each key's placeholders
/// (<c>{hold_s}</c> and so on). See docs/coach.md, "Translating".
/// </summary>
public sealed partial class CoachTexts
{
    /// <summary>The language used when none is configured.</summary>
    public const string DefaultLanguage = "en";

    private const string ResourcePrefix = "CrampSense.Coaching.Texts.coach-texts-";
    private const string ResourceSuffix = ".json";

    // Every key a translation must provide, with the placeholders its text may contain.
    private static readonly FrozenDictionary<string, string[]> Placeholders = BuildPlaceholders();

    private readonly FrozenDictionary<string, string> _texts;

    private CoachTexts(string language, FrozenDictionary<string, string> texts)
    {
        Language = language;
        _texts = texts;
    }

    /// <summary>The language tag of these texts (<c>en</c>, <c>de</c>).</summary>
    public string Language { get; }

    /// <summary>Every text key a translation must provide, sorted.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Placeholders.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The languages embedded in this assembly, sorted.</summary>
    public static IReadOnlyList<string> Languages { get; } =
    [
        .. typeof(CoachTexts).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^ResourceSuffix.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The placeholders (<c>hold_s</c>, without braces) the text of <paramref name="key"/> may use.</summary>
    public static IReadOnlyList<string> PlaceholdersOf(string key) =>
        Placeholders.TryGetValue(key, out var names) ? names : throw new ArgumentException($"Unknown coach text key '{key}'.", nameof(key));

    /// <summary>The key of the stretch title or text for a muscle group (<paramref name="part"/> is <c>title</c> or <c>text</c>).</summary>
    public static string StretchKey(MuscleGroup group, string part) =>
        $"stretch.{group.ToString().ToLowerInvariant()}.{part}";

    /// <summary>Loads the embedded texts of <paramref name="language"/>.</summary>
    /// <exception cref="ArgumentException">No embedded texts for that language; the message lists those there are.</exception>
    public static CoachTexts Load(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var name = ResourcePrefix + language + ResourceSuffix;
        using var stream = typeof(CoachTexts).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"No coach texts for language '{language}'; embedded: {string.Join(", ", Languages)}.", nameof(language));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), language, $"coach-texts-{language}.json");
    }

    /// <summary>
    /// Reads texts from JSON (a flat object of key → text; <c>//</c> comments allowed), e.g. a translation the host
    /// read from a file. Checks that every key is there, no unknown key is, and each text uses only its placeholders.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="language">Language tag to report.</param>
    /// <param name="sourceName">Where the JSON came from, for error messages.</param>
    /// <exception cref="FormatException">The JSON is malformed or incomplete; the message names the source and the key or line.</exception>
    public static CoachTexts Parse(string json, string language, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        ArgumentNullException.ThrowIfNull(sourceName);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{sourceName}: expected a JSON object of text key → text.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Placeholders.TryGetValue(property.Name, out var allowed))
                {
                    throw new FormatException($"{sourceName}: unknown key '{property.Name}' (known keys: see docs/coach.md).");
                }

                if (property.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(property.Value.GetString()))
                {
                    throw new FormatException($"{sourceName}: key '{property.Name}' must be a non-empty string.");
                }

                var text = property.Value.GetString()!;
                foreach (Match match in PlaceholderPattern().Matches(text))
                {
                    var placeholder = match.Groups[1].Value;
                    if (!allowed.Contains(placeholder, StringComparer.Ordinal))
                    {
                        throw new FormatException($"{sourceName}: key '{property.Name}' uses placeholder {{{placeholder}}}; allowed: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed.Select(a => "{" + a + "}")))}.");
                    }
                }

                if (!texts.TryAdd(property.Name, text))
                {
                    throw new FormatException($"{sourceName}: key '{property.Name}' appears twice.");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{sourceName}: not valid JSON at {JsonErrorText.Describe(ex)}", ex);
        }

        var missing = Keys.Where(k => !texts.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"{sourceName}: missing key(s) {string.Join(", ", missing)}.");
        }

        return new CoachTexts(language, texts.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The raw text of <paramref name="key"/>, placeholders unreplaced.</summary>
    public string Get(string key) =>
        _texts.TryGetValue(key, out var text) ? text : throw new ArgumentException($"Unknown coach text key '{key}'.", nameof(key));

    /// <summary>The text of <paramref name="key"/> with each <c>{name}</c> replaced by its value.</summary>
    public string Format(string key, params ReadOnlySpan<(string Name, object Value)> values)
    {
        var text = Get(key);
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PlaceholderPattern();

    private static FrozenDictionary<string, string[]> BuildPlaceholders()
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in Enum.GetValues<MuscleGroup>())
        {
            map[StretchKey(group, "title")] = group == MuscleGroup.Other ? ["site"] : [];
            map[StretchKey(group, "text")] = ["hold_s"];
        }

        map[TextKeys.AftercareTitle] = [];
        map[TextKeys.AftercareText] = [];
        map[TextKeys.AftercareExerciseTitle] = [];
        map[TextKeys.AftercareExerciseText] = [];
        map[TextKeys.RestTitle] = [];
        map[TextKeys.RestText] = ["rest_min"];
        map[TextKeys.HydrateExerciseTitle] = [];
        map[TextKeys.HydrateExerciseText] = ["minutes"];
        map[TextKeys.HydrateExerciseHotTitle] = [];
        map[TextKeys.HydrateExerciseHotText] = ["minutes"];
        map[TextKeys.HydrateAfterExerciseTitle] = [];
        map[TextKeys.HydrateAfterExerciseText] = [];
        map[TextKeys.BedtimeTitle] = [];
        map[TextKeys.BedtimeText] = ["hold_s", "reps"];
        map[TextKeys.SeeDoctorTitle] = [];
        map[TextKeys.SeeDoctorFrequentText] = ["count", "days"];
        map[TextKeys.SeeDoctorLongText] = ["minutes"];
        map[TextKeys.SeeDoctorWeaknessText] = [];
        map[TextKeys.SeeDoctorCausesText] = [];
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
