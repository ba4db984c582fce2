using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CrampSense.Testing;

/// <summary>
/// A real VictoriaMetrics (Debian's victoria-metrics) on a free loopback port with a temp data folder: it accepts
/// InfluxDB.Client's <c>/api/v2/write</c> (deps-probe.md §4). <c>-dedup.minScrapeInterval=1ms</c> keeps one sample per
/// series and millisecond, which is InfluxDB's "same series and timestamp overwrites" rule, so a redelivered message
/// that was written twice shows up once (as it would in InfluxDB). String fields are stored as 0 (VictoriaMetrics keeps
/// numbers only); messages are told apart by series and timestamp.
/// </summary>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Process? _process;

    private VictoriaMetricsServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts one; <paramref name="start"/> false only reserves port and folder (start it later with <see cref="StartAsync"/>).</summary>
    public static async Task<VictoriaMetricsServer> CreateAsync(bool start, CancellationToken cancellationToken)
    {
        Tools.Require("victoria-metrics", "victoria-metrics");
        var directory = Path.Combine(Path.GetTempPath(), "crampsense-vm-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new VictoriaMetricsServer(directory, MosquittoBroker.FreePort());
        if (start)
        {
            await server.StartAsync(cancellationToken);
        }

        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("VictoriaMetrics is already running.");
        }

        var info = new ProcessStartInfo(Tools.Require("victoria-metrics", "victoria-metrics"),
        [
            $"-httpListenAddr=127.0.0.1:{Port}", $"-storageDataPath={Directory}", "-retentionPeriod=100y",
            "-search.latencyOffset=0s", "-dedup.minScrapeInterval=1ms", "-loggerLevel=ERROR",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("victoria-metrics did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"victoria-metrics exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(Url, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("victoria-metrics did not answer /health within 20 s.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Kills it (SIGKILL: the database is simply gone) and waits for the exit; data flushed so far stays.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        // SIGTERM lets it flush what it accepted, like a database restart; the bridge only sees a refused connection.
        Tools.Signal(_process.Id, "TERM");
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every stored sample of the measurements matching <paramref name="measurementRegex"/>, after a forced flush.</summary>
    public async Task<IReadOnlyList<Sample>> ExportAsync(string measurementRegex, CancellationToken cancellationToken)
    {
        using (var flush = await Http.GetAsync(new Uri(Url, "/internal/force_flush"), cancellationToken))
        {
            flush.EnsureSuccessStatusCode();
        }

        // Without an end, the export stops at "now" and hides points stamped later: a simulated session at ten
        // times real time stamps its messages up to tens of seconds ahead of the wall clock.
        var end = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var content = new FormUrlEncodedContent([new("match[]", $"{{__name__=~\"({measurementRegex})_.*\"}}"), new("end", end)]);
        using var response = await Http.PostAsync(new Uri(Url, "/api/v1/export"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var metric = document.RootElement.GetProperty("metric");
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            string name = "";
            foreach (var label in metric.EnumerateObject())
            {
                if (label.Name == "__name__")
                {
                    name = label.Value.GetString()!;
                }
                else
                {
                    labels[label.Name] = label.Value.GetString()!;
                }
            }

            var values = document.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var timestamps = document.RootElement.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                samples.Add(new Sample(name, labels, timestamps[i], values[i]));
            }
        }

        return samples;
    }

    public ValueTask DisposeAsync() => Tools.KillAndRemoveAsync(_process, Directory);

    /// <summary>One stored sample: VictoriaMetrics names a field's series <c>&lt;measurement&gt;_&lt;field&gt;</c>.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Tags, long TimestampMilliseconds, double Value)
    {
        public string Tag(string key) => Tags.TryGetValue(key, out var value) ? value : "";

        public override string ToString() =>
            $"{Name}{{{string.Join(",", Tags.Select(t => t.Key + "=" + t.Value))}}} {Value.ToString(CultureInfo.InvariantCulture)} @{TimestampMilliseconds}";
    }
}
