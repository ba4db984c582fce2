using CrampSense.Detection;

namespace CrampSense.Wearable;

/// <summary>What one site looks like now (the live view's row).</summary>
public sealed record SiteSnapshot(string Site, float EnvelopeMicrovolts, string Class, float CrampProbability, CrampTrackerState State, float? SkinTemperatureCelsius);
