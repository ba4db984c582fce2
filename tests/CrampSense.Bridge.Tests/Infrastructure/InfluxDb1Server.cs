using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>
/// A real InfluxDB 1.x (Debian's influxd) with a temp config: HTTP and the RPC bind address on free loopback ports,
/// reporting off, data in a temp folder. Loaded through the 1.x <c>/write</c> endpoint and queried with InfluxQL on
/// <c>/query</c>, the language the Grafana dashboards use.
/// </summary>
public sealed class InfluxDb1Server : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;

    private InfluxDb1Server(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public string Directory { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public static async Task<InfluxDb1Server> StartAsync(CancellationToken cancellationToken)
    {
        var binary = Tools.Require("influxd", "influxdb");
        var directory = Path.Combine(Path.GetTempPath(), "crampsense-influxd-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var port = MosquittoBroker.FreePort();
        var config = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{MosquittoBroker.FreePort()}"

            [meta]
              dir = "{directory}/meta"

            [data]
              dir = "{directory}/data"
              wal-dir = "{directory}/wal"
              query-log-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{port}"
              log-enabled = false

            [logging]
              level = "error"

            [continuous_queries]
              enabled = false

            [monitor]
              store-enabled = false
            """, cancellationToken);
        var info = new ProcessStartInfo(binary, ["-config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("influxd did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new InfluxDb1Server(directory, port, process);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with code {process.ExitCode} (config {config}).");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(server.Url, "/ping"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("influxd did not answer /ping within 30 s.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Runs InfluxQL; times in Unix milliseconds. Throws with the server's message when a statement fails.</summary>
    public async Task<JsonElement> QueryAsync(string database, string query, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("db", database), new("epoch", "ms"), new("q", query)]);
        using var response = await Http.PostAsync(new Uri(Url, "/query"), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxQL failed ({(int)response.StatusCode}): {text}{Environment.NewLine}{query}");
        }

        using var document = JsonDocument.Parse(text);
        var result = document.RootElement.GetProperty("results")[0].Clone();
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"InfluxQL error: {error.GetString()}{Environment.NewLine}{query}");
        }

        return result;
    }

    /// <summary>Writes line protocol with millisecond timestamps through the 1.x endpoint.</summary>
    public async Task WriteAsync(string database, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "text/plain");
        using var response = await Http.PostAsync(new Uri(Url, $"/write?db={Uri.EscapeDataString(database)}&precision=ms"), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"write failed ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public ValueTask DisposeAsync() => Tools.KillAndRemoveAsync(_process, Directory);
}
