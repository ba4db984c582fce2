using System.Diagnostics;

namespace CrampSense.Testing;

public static class Tools
{
    public static IEnumerable<string> SearchPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name));

    /// <summary>
    /// The installed program <paramref name="name"/> (PATH, /usr/bin, /usr/sbin). Missing, it is <see cref="Unavailable"/>
    /// with the apt command that installs <paramref name="aptPackages"/>.
    /// </summary>
    public static string Require(string name, string aptPackages = "mosquitto mosquitto-clients openssl")
    {
        foreach (var candidate in SearchPath(name).Append("/usr/bin/" + name).Append("/usr/sbin/" + name))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Unavailable($"'{name}' is not installed; these tests need it: apt-get install -y {aptPackages}");
        return name;
    }

    /// <summary>
    /// A server or tool a test needs is missing: in CI (CI=true; .ci/run installs everything) that is a failure; on a
    /// developer's machine with only the .NET SDK the test is reported as skipped, with <paramref name="hint"/> saying
    /// how to enable it.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Unavailable(string hint)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            throw new InvalidOperationException(hint);
        }

        Xunit.Assert.Skip(hint);
        throw new InvalidOperationException(hint);
    }

    /// <summary>Sends a POSIX signal (TERM, KILL, …) with kill(1); Process.Kill is SIGKILL only.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// The end of a test server: kills <paramref name="process"/> if it still runs, waits for it, and removes its temp
    /// folder (a folder still busy is left for the OS to clean).
    /// </summary>
    public static async ValueTask KillAndRemoveAsync(Process? process, string directory)
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process?.Dispose();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
