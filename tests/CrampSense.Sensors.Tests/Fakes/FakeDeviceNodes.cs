namespace CrampSense.Sensors.Tests.Fakes;

/// <summary>Device nodes as a test declares them: which exist, which the user may open.</summary>
public sealed class FakeDeviceNodes : IDeviceNodes
{
    public HashSet<string> Existing { get; } = [];

    public HashSet<string> Denied { get; } = [];

    public Dictionary<string, List<string>> Children { get; } = [];

    public bool Exists(string path) => Existing.Contains(path);

    public bool CanOpenReadWrite(string path) => !Denied.Contains(path);

    public IEnumerable<string> Directories(string path, string pattern) =>
        Children.TryGetValue(path, out var list) ? list.Where(n => n.StartsWith(pattern.TrimEnd('*'), StringComparison.Ordinal)) : [];
}
