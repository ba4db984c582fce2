using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using CrampSense.Bridge;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>
/// Issue 15 item 1: the bridge is a server of the contract, not of the detector. Its closure holds the contract and
/// the transport but no domain room (Detection, Signals, Coaching) and none of their libraries (ML.NET, LightGbm,
/// NWaves), read two ways: the bridge's deps.json (what a publish copies) and the assembly references.
/// </summary>
public sealed class BridgeDependenciesTests
{
    private static bool IsDomain(string name) =>
        name.StartsWith("CrampSense.Detection", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Signals", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Coaching", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Wearable", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.ML", StringComparison.OrdinalIgnoreCase)
        || name.Contains("LightGbm", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("NWaves", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void DepsJson_ListsTheContractButNoDomainLibrary()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "crampsense-bridge.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Contains(libraries, l => l.StartsWith("CrampSense.Contract/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsDomain);
    }

    [Fact]
    public void AssemblyReferences_ReachNoDomainAssembly()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<Assembly>([typeof(BridgeHost).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is not { } name || !seen.Add(name) || name.StartsWith("System", StringComparison.Ordinal))
                {
                    continue;
                }

                pending.Enqueue(AssemblyLoadContext.Default.LoadFromAssemblyName(reference));
            }
        }

        Assert.Contains("CrampSense.Contract", seen);
        Assert.DoesNotContain(seen, IsDomain);
    }
}
