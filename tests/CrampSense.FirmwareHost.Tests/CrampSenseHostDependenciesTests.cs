using CrampSense.FirmwareHost.Hosting;
using Xunit;

namespace CrampSense.FirmwareHost.Tests;

/// <summary>
/// Issue 12 item 6: the Pi ships scoring only. The service's dependency closure holds no training library (ML.NET,
/// LightGbm, CrampSense.Training), read two ways: the host's deps.json (what a publish copies) and the assembly references.
/// </summary>
public sealed class CrampSenseHostDependenciesTests
{
    private static bool IsTraining(string name) =>
        name.StartsWith("Microsoft.ML", StringComparison.OrdinalIgnoreCase)
        || name.Contains("LightGbm", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CrampSense.Training", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void DepsJson_ListsTheDetectorButNoTrainingLibrary()
    {
        var libraries = DependencyClosure.DepsLibraries("crampsense-host.deps.json");

        Assert.Contains(libraries, l => l.StartsWith("CrampSense.Detection/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsTraining);
    }

    [Fact]
    public void AssemblyReferences_ReachNoTrainingAssembly()
    {
        var seen = DependencyClosure.AssemblyReferences(typeof(CrampSenseHostProgram).Assembly);

        Assert.Contains("CrampSense.Detection", seen);
        Assert.Contains("CrampSense.Wearable", seen);
        Assert.Contains("CrampSense.Contract", seen);
        Assert.DoesNotContain(seen, IsTraining);
    }
}
