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
        var libraries = DependencyClosure.DepsLibraries("crampsense-bridge.deps.json");

        Assert.Contains(libraries, l => l.StartsWith("CrampSense.Contract/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsDomain);
    }

    [Fact]
    public void DepsJson_ListsTheMqttClientButNotTheEmbeddedBroker()
    {
        var libraries = DependencyClosure.DepsLibraries("crampsense-bridge.deps.json");

        Assert.Contains(libraries, l => l.StartsWith("MQTTnet/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.StartsWith("MQTTnet.Server/", StringComparison.Ordinal));
    }

    [Fact]
    public void AssemblyReferences_ReachNoDomainAssembly()
    {
        var seen = DependencyClosure.AssemblyReferences(typeof(BridgeHost).Assembly);

        Assert.Contains("CrampSense.Contract", seen);
        Assert.DoesNotContain(seen, IsDomain);
    }
}
