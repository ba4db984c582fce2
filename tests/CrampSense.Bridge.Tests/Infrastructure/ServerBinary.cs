namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>Finds a server program; missing, it fails the test in CI (CI set) and skips it elsewhere, naming the apt command.</summary>
internal static class ServerBinary
{
    public static string Require(string name, string aptPackages)
    {
        foreach (var candidate in Messaging.Tests.Infrastructure.Tools.SearchPath(name).Append("/usr/bin/" + name).Append("/usr/sbin/" + name))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var hint = $"'{name}' is not installed; these tests need it: apt-get install -y {aptPackages}";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            throw new InvalidOperationException(hint);
        }

        Xunit.Assert.Skip(hint);
        return name;
    }
}
