using CrampSense.Contract;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>Reads back what the bridge stored for given devices, grouped per message (measurement, tags, timestamp).</summary>
internal static class StoredPoints
{
    /// <summary>Samples of <paramref name="measurement"/> for <paramref name="devices"/>.</summary>
    public static async Task<IReadOnlyList<VictoriaMetricsServer.Sample>> SamplesAsync(VictoriaMetricsServer database, string measurement, IReadOnlySet<string> devices, CancellationToken cancellationToken)
    {
        var samples = await database.ExportAsync(measurement, cancellationToken);
        return [.. samples.Where(s => devices.Contains(s.Tag("device")))];
    }

    /// <summary>
    /// Per event message: how many samples of its <c>onset_s</c> field the database holds (the key is the message id,
    /// found from device, site, type and timestamp). Every id must map to exactly 1: 0 is a lost message, 2 a double count.
    /// </summary>
    public static async Task<Dictionary<string, int>> OnsetCountsAsync(VictoriaMetricsServer database, IReadOnlyCollection<EventMessage> messages, CancellationToken cancellationToken)
    {
        var devices = messages.Select(m => m.Device).ToHashSet();
        var samples = (await SamplesAsync(database, "cramp_event", devices, cancellationToken)).Where(s => s.Name == "cramp_event_onset_s");
        var byKey = samples.GroupBy(s => (s.Tag("device"), s.Tag("site"), s.Tag("type"), s.TimestampMilliseconds))
            .ToDictionary(g => g.Key, g => g.ToList());
        var counts = new Dictionary<string, int>();
        foreach (var message in messages)
        {
            var key = (message.Device, message.Site, message.Type, DateTimeOffset.Parse(message.Time, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            counts[message.Id] = byKey.TryGetValue(key, out var found) ? found.Count(s => s.Value == message.OnsetSeconds) : 0;
        }

        return counts;
    }

    public static string Describe(Dictionary<string, int> counts) =>
        $"{counts.Count(c => c.Value == 1)} of {counts.Count} stored once; missing: {counts.Count(c => c.Value == 0)}, more than once: {counts.Count(c => c.Value > 1)}" +
        (counts.FirstOrDefault(c => c.Value != 1) is { Key: not null } first ? $" (e.g. {first.Key}: {first.Value})" : "");
}
