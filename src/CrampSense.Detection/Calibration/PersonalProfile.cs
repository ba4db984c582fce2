using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using CrampSense.Signals.Recordings;

namespace CrampSense.Detection.Calibration;

/// <summary>
/// A person's calibration: per site, the rest floor and (optionally) the maximal voluntary contraction, so that
/// events can give amplitudes as × rest floor and % of max. Stored as versioned JSON:
/// <code>{"version": 1, "created": "2026-11-26T13:00:00+00:00", "device": "pi-01",
///  "sites": {"calf": {"rest_floor_uv": 4.2, "max_voluntary_uv": 410}}}</code>
/// and validated on load, with messages naming the source, the site and the property. A profile may also carry the
/// wearer's learnt habits (<c>"habits": [{"site": "calf", "examples": 5, "log_mean_over_floor": [1.2, 1.9],
/// "log_peak_over_mean": [0.1, 0.4], "confirm_after_s": 42.5}]</c>, <see cref="PersonalHabit"/>, written by
/// <c>crampsense train --personal</c>; <c>confirm_after_s</c> is optional, absent in profiles written before it
/// existed); a profile with habits needs no calibrated site.
/// </summary>
public sealed class PersonalProfile
{
    /// <summary>The profile format version this build reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Creates a profile; throws <see cref="ArgumentException"/> for an empty site list or an invalid site name.</summary>
    public PersonalProfile(IReadOnlyDictionary<string, SiteCalibration> sites, DateTimeOffset created, string? device = null, IReadOnlyList<PersonalHabit>? habits = null)
    {
        ArgumentNullException.ThrowIfNull(sites);
        if (sites.Count == 0 && (habits is null || habits.Count == 0))
        {
            throw new ArgumentException("A profile needs at least one calibrated site or habit.", nameof(sites));
        }

        var copy = new SortedDictionary<string, SiteCalibration>(StringComparer.Ordinal);
        foreach (var (site, calibration) in sites)
        {
            if (!RecordingLayout.IsValidSite(site))
            {
                throw new ArgumentException($"Site '{site}' is not a valid site name (lower-case letters, digits and '_').", nameof(sites));
            }

            copy.Add(site, calibration ?? throw new ArgumentException($"Site '{site}' has no calibration.", nameof(sites)));
        }

        Sites = new ReadOnlyDictionary<string, SiteCalibration>(copy);
        Created = created;
        Device = string.IsNullOrWhiteSpace(device) ? null : device;
        Habits = habits is null ? [] : [.. habits];
    }

    /// <summary>Format version (always <see cref="CurrentVersion"/> for a loaded or created profile).</summary>
    public int Version { get; } = CurrentVersion;

    /// <summary>When the calibration was made.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The wearable it was made with, if recorded.</summary>
    public string? Device { get; }

    /// <summary>Calibration per site, by site name.</summary>
    public IReadOnlyDictionary<string, SiteCalibration> Sites { get; }

    /// <summary>The wearer's learnt habits (<see cref="PersonalHabit"/>), any site; empty when none were learnt.</summary>
    public IReadOnlyList<PersonalHabit> Habits { get; }

    /// <summary>The habits of <paramref name="site"/>.</summary>
    public IReadOnlyList<PersonalHabit> HabitsFor(string site) => [.. Habits.Where(h => h.Site == site)];

    /// <summary>The same calibration with <paramref name="habits"/> instead of its own.</summary>
    public PersonalProfile WithHabits(IReadOnlyList<PersonalHabit> habits, DateTimeOffset created) => new(Sites, created, Device, habits);

    /// <summary>The calibration of <paramref name="site"/>, or null when the profile does not cover it.</summary>
    public SiteCalibration? ForSite(string site) => Sites.TryGetValue(site, out var calibration) ? calibration : null;

    /// <summary>The profile as indented JSON.</summary>
    public string ToJson()
    {
        var document = new PersonalProfileDocument
        {
            Version = CurrentVersion,
            Created = Created,
            Device = Device,
            Sites = Sites.ToDictionary(
                s => s.Key,
                s => (SiteCalibrationDocument?)new SiteCalibrationDocument
                {
                    RestFloorMicrovolts = s.Value.RestFloorMicrovolts,
                    MaxVoluntaryMicrovolts = s.Value.MaxVoluntaryMicrovolts,
                },
                StringComparer.Ordinal),
            Habits = Habits.Count == 0 ? null : [.. Habits.Select(h => (HabitDocument?)new HabitDocument
            {
                Site = h.Site,
                Examples = h.Examples,
                LogMeanOverFloor = [h.LogMeanOverFloor.Low, h.LogMeanOverFloor.High],
                LogPeakOverMean = [h.LogPeakOverMean.Low, h.LogPeakOverMean.High],
                ConfirmAfterSeconds = h.ConfirmAfterSeconds,
            })],
        };
        return JsonSerializer.Serialize(document, ProfileJsonContext.Default.PersonalProfileDocument);
    }

    /// <summary>Parses and validates a profile.</summary>
    /// <param name="json">The profile text.</param>
    /// <param name="sourceName">Where it came from (a file name), for error messages.</param>
    /// <exception cref="FormatException">The profile is not valid; the message names the source, site and property (or line and column).</exception>
    public static PersonalProfile FromJson(string json, string sourceName = "profile")
    {
        ArgumentNullException.ThrowIfNull(json);
        PersonalProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ProfileJsonContext.Default.PersonalProfileDocument);
        }
        catch (JsonException ex)
        {
            throw new FormatException(
                $"{sourceName}: not valid JSON at {JsonErrorText.Describe(ex)}",
                ex);
        }

        if (document is null)
        {
            throw Invalid(sourceName, "expected a JSON object, got null");
        }

        if (document.Version is not { } version)
        {
            throw Invalid(sourceName, $"'version' is missing; expected {CurrentVersion}");
        }

        if (version != CurrentVersion)
        {
            throw Invalid(sourceName, $"version {version} is not supported; this build reads version {CurrentVersion}");
        }

        if (document.Created is not { } created)
        {
            throw Invalid(sourceName, "'created' is missing; expected a time such as \"2026-11-26T13:00:00Z\"");
        }

        var habits = ReadHabits(document.Habits, sourceName);
        if ((document.Sites is null || document.Sites.Count == 0) && habits.Count == 0)
        {
            throw Invalid(sourceName, "'sites' is missing or empty; a profile needs at least one calibrated site (or learnt habits)");
        }

        var sites = new Dictionary<string, SiteCalibration>(StringComparer.Ordinal);
        foreach (var (site, entry) in document.Sites ?? [])
        {
            if (!RecordingLayout.IsValidSite(site))
            {
                throw Invalid(sourceName, $"site '{site}' is not a valid site name (lower-case letters, digits and '_', e.g. calf)");
            }

            if (entry is null)
            {
                throw Invalid(sourceName, $"site '{site}': expected an object with 'rest_floor_uv', got null");
            }

            if (entry.RestFloorMicrovolts is not { } floor)
            {
                throw Invalid(sourceName, $"site '{site}': 'rest_floor_uv' is missing");
            }

            if (!double.IsFinite(floor) || floor <= 0)
            {
                throw Invalid(sourceName, string.Create(CultureInfo.InvariantCulture, $"site '{site}': 'rest_floor_uv' must be a positive number of µV, got {floor}"));
            }

            if (entry.MaxVoluntaryMicrovolts is { } max && (!double.IsFinite(max) || max <= floor))
            {
                throw Invalid(sourceName, string.Create(CultureInfo.InvariantCulture, $"site '{site}': 'max_voluntary_uv' ({max}) must be above 'rest_floor_uv' ({floor})"));
            }

            sites.Add(site, new SiteCalibration(floor, entry.MaxVoluntaryMicrovolts));
        }

        return new PersonalProfile(sites, created, document.Device, habits);
    }

    private static List<PersonalHabit> ReadHabits(List<HabitDocument?>? documents, string sourceName)
    {
        var habits = new List<PersonalHabit>();
        for (var i = 0; i < (documents?.Count ?? 0); i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"habits[{i}]");
            var entry = documents![i] ?? throw Invalid(sourceName, $"{key}: expected an object, got null");
            if (!RecordingLayout.IsValidSite(entry.Site))
            {
                throw Invalid(sourceName, $"{key}.site: '{entry.Site}' is not a valid site name (lower-case letters, digits and '_', e.g. calf)");
            }

            if (entry.Examples is not >= 1)
            {
                throw Invalid(sourceName, $"{key}.examples: expected a count of at least 1");
            }

            if (entry.ConfirmAfterSeconds is { } after && !(after > 0 && double.IsFinite(after)))
            {
                throw Invalid(sourceName, string.Create(CultureInfo.InvariantCulture, $"{key}.confirm_after_s: expected seconds above 0, got {after}"));
            }

            habits.Add(new PersonalHabit(
                entry.Site!,
                Range(entry.LogMeanOverFloor, sourceName, key + ".log_mean_over_floor"),
                Range(entry.LogPeakOverMean, sourceName, key + ".log_peak_over_mean"),
                entry.Examples.Value,
                entry.ConfirmAfterSeconds));
        }

        return habits;
    }

    private static HabitRange Range(double[]? values, string sourceName, string key) =>
        values is [var low, var high] && double.IsFinite(low) && double.IsFinite(high) && low <= high
            ? new HabitRange(low, high)
            : throw Invalid(sourceName, $"{key}: expected [low, high] with finite numbers and low <= high");

    /// <summary>Reads and validates a profile from <paramref name="reader"/>.</summary>
    /// <exception cref="FormatException">The profile is not valid.</exception>
    public static PersonalProfile Load(TextReader reader, string sourceName = "profile")
    {
        ArgumentNullException.ThrowIfNull(reader);
        return FromJson(reader.ReadToEnd(), sourceName);
    }

    /// <summary>Writes the profile as indented JSON to <paramref name="writer"/>.</summary>
    public void Save(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(ToJson());
        writer.WriteLine();
    }

    private static FormatException Invalid(string sourceName, string problem) => new($"{sourceName}: {problem}.");
}
