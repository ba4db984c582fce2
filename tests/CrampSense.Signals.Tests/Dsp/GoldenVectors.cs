using System.Text.Json;

namespace CrampSense.Signals.Tests.Dsp;

/// <summary>Reads golden/golden_vectors.json, written once by tests/tools/make_golden_vectors.py (scipy/numpy).</summary>
internal static class GoldenVectors
{
    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "golden_vectors.json"))));

    public static JsonElement Root => s_document.Value.RootElement;

    public static JsonElement Case(string group, int index) => Root.GetProperty(group)[index];

    public static JsonElement Case(string group, string name)
    {
        foreach (var item in Root.GetProperty(group).EnumerateArray())
        {
            if (item.GetProperty("name").GetString() == name)
            {
                return item;
            }
        }

        throw new KeyNotFoundException($"No golden case '{name}' in '{group}'.");
    }

    public static double[] Doubles(this JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static float[] Floats(this JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static double Number(this JsonElement element, string property) => element.GetProperty(property).GetDouble();
}
