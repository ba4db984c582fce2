using Xunit;

namespace CrampSense.Contract.Tests;

/// <summary>Issue 15 item 1: the contract can be versioned and consumed without the domain, so it references only the BCL.</summary>
public sealed class ContractDependenciesTests
{
    [Fact]
    public void AssemblyReferences_AreOnlyTheBaseClassLibrary()
    {
        var references = typeof(ContractMessage).Assembly.GetReferencedAssemblies().Select(r => r.Name!).ToArray();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(
            name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"CrampSense.Contract references {name}, which is not part of the BCL"));
    }
}
