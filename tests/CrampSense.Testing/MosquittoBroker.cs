using Xunit;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CrampSense.Testing;

/// <summary>
/// A real mosquitto started for the tests on a free loopback port, with a generated config in a temp folder; stopped
/// (and the folder removed) on dispose. Missing mosquitto is a failure in CI (which installs it:
/// <c>apt-get install mosquitto mosquitto-clients</c>) and a skip naming that command on a machine with only the SDK.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _config;
    private readonly string? _binary;
    private Process? _process;

    private MosquittoBroker(string directory, int port, string config, string? binary)
    {
        Directory = directory;
        Port = port;
        _config = config;
        _binary = binary;
    }

    public string Directory { get; }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The broker's process id while it runs (for SIGSTOP/SIGCONT: a broker that hangs without closing its sockets).</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : throw new InvalidOperationException("mosquitto is not running.");

    /// <summary>
    /// Starts a broker. <paramref name="passwordFile"/> (made by mosquitto_passwd) turns anonymous access off;
    /// <paramref name="listenerOptions"/> go right after the listener line (TLS files); <paramref name="binary"/> is another
    /// mosquitto than the installed one.
    /// </summary>
    public static async Task<MosquittoBroker> StartAsync(CancellationToken cancellationToken, string? passwordFile = null, bool persistence = false, IReadOnlyList<string>? listenerOptions = null, string? binary = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crampsense-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        var lines = new List<string>
        {
            $"listener {port} 127.0.0.1",
        };
        lines.AddRange(listenerOptions ?? []);
        lines.AddRange(new[]
        {
            passwordFile is null ? "allow_anonymous true" : "allow_anonymous false",
            // mosquitto drops root privileges to 'mosquitto' unless told otherwise; keep the test user so it can write here.
            $"user {Environment.UserName}",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "max_queued_messages 100000",
        });
        if (passwordFile is not null)
        {
            lines.Add($"password_file {passwordFile}");
        }

        if (persistence)
        {
            lines.Add("persistence true");
            lines.Add($"persistence_location {directory}/");
        }
        else
        {
            lines.Add("persistence false");
        }

        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllLinesAsync(config, lines, cancellationToken);
        var broker = new MosquittoBroker(directory, port, config, binary);
        await broker.RestartAsync(cancellationToken);
        return broker;
    }

    /// <summary>The mosquitto binary; without it the test fails in CI and is skipped elsewhere, naming the install command.</summary>
    public static string Binary() => Tools.Require("mosquitto");

    /// <summary>Starts (again) on the same port and folder, and waits until the port accepts connections.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("mosquitto is already running.");
        }

        var info = new ProcessStartInfo(_binary ?? Binary(), ["-c", _config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Poll.UntilAsync(
            () => _process.HasExited ? throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode} (config {_config}).") : CanConnect(Port),
            TimeSpan.FromSeconds(10),
            $"mosquitto listening on 127.0.0.1:{Port}",
            cancellationToken);
    }

    /// <summary>Stops it with SIGTERM (it saves its persistence file) and waits for the exit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        Tools.Signal(_process.Id, "TERM");
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync() => Tools.KillAndRemoveAsync(_process, Directory);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>One mosquitto for a test class (xunit class fixture).</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;
    private Exception? _skipped;

    /// <summary>The running broker; skips the calling test when mosquitto is missing outside CI (a skip thrown
    /// from a fixture's InitializeAsync would count as a failure, so it is deferred to the test).</summary>
    public MosquittoBroker Broker
    {
        get
        {
            if (_skipped is not null)
            {
                Xunit.Assert.Skip(_skipped.Message.Replace("$XunitDynamicSkip$", string.Empty, StringComparison.Ordinal));
            }

            return _broker ?? throw new InvalidOperationException("mosquitto fixture not started.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            _broker = await MosquittoBroker.StartAsync(CancellationToken.None);
        }
        catch (Exception e) when (e.Message.StartsWith("$XunitDynamicSkip$", StringComparison.Ordinal))
        {
            _skipped = e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
