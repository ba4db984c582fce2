using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace CrampSense.EndToEnd.Tests.Infrastructure;

/// <summary>A program of this repository (crampsense-host, crampsense-bridge) or a tool (mosquitto_sub) as a child process, its output lines collected.</summary>
internal sealed class ChildProgram : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ChildProgram(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Path of a program's dll in its own build folder, written into this assembly at build time.</summary>
    public static string ProgramPath(string key) =>
        typeof(ChildProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Runs <c>dotnet &lt;dll&gt; arguments</c>.</summary>
    public static ChildProgram StartDotnet(string programKey, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", [ProgramPath(programKey), .. arguments], environment);

    public static ChildProgram Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ChildProgram(Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start."));
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join(Environment.NewLine, _lines);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL: no flush, no clean disconnect.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public Task WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
