using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Contract;
using Xunit;

namespace CrampSense.Bridge.Tests;

/// <summary>
/// Every InfluxQL query of the Grafana dashboards (deploy/grafana/dashboards), with Grafana's macros expanded, run on a
/// real InfluxDB 1.x loaded with line protocol from the bridge's own mapping (<see cref="InfluxPointMapper"/>); each
/// returns the rows worked out by hand from the night below.
/// </summary>
public sealed class GrafanaDashboardTests(GrafanaDashboardTests.LoadedInflux influx) : IClassFixture<GrafanaDashboardTests.LoadedInflux>
{
    private const string Database = "crampsense";
    private const string Interval = "1h";
    private static readonly DateTimeOffset From = At("2026-11-24T00:00:00.000Z");
    private static readonly DateTimeOffset To = At("2026-11-26T23:59:59.999Z");
    private static readonly Dictionary<string, string> Variables = new() { ["device"] = "pi-01" };

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => ContractTime.Format(time);

    /// <summary>Two wearables over three days: four cramps, two warnings, prompts, telemetry around two cramps, faults, statuses.</summary>
    internal static IReadOnlyList<ContractMessage> Night()
    {
        var messages = new List<ContractMessage>();
        void Cramp(string device, string site, string onset, double duration, double peakPct)
        {
            var start = At(onset);
            var eventId = $"{device}:{site}:cramp:{start.ToUnixTimeMilliseconds()}";
            var started = new EventMessage
            {
                Id = eventId + ":cramp_started", Time = Time(start), Device = device, Site = site, Type = EventMessage.CrampStarted,
                EventId = eventId, OnsetSeconds = 100, ConfirmedSeconds = 105, DurationSeconds = 5, PeakPercentOfMax = peakPct / 2,
            };
            messages.Add(started);
            messages.Add(started with
            {
                Id = eventId + ":cramp_ended", Time = Time(start.AddSeconds(duration)), Type = EventMessage.CrampEnded,
                EndSeconds = 100 + duration, DurationSeconds = duration, PeakPercentOfMax = peakPct, EndReason = "quiet",
            });
            messages.Add(new PromptMessage
            {
                Id = eventId + ":stretch", Time = Time(start.AddSeconds(1)), Device = device, Site = site, Kind = "stretch", Urgency = "high",
                Title = "Stretch", Text = "Stretch the muscle gently.", EventId = eventId,
            });
        }

        Cramp("pi-01", "calf", "2026-11-24T02:10:00.000Z", 40, 61.5);
        Cramp("pi-01", "calf", "2026-11-25T03:30:00.000Z", 75, 80);
        Cramp("pi-01", "hamstring", "2026-11-25T23:50:00.000Z", 30, 45);
        Cramp("pi-02", "calf", "2026-11-25T04:00:00.000Z", 50, 70);
        foreach (var (device, time) in new[] { ("pi-01", "2026-11-24T02:05:00.000Z"), ("pi-02", "2026-11-25T03:55:00.000Z") })
        {
            messages.Add(new EventMessage { Id = $"{device}:w:{time}", Time = time, Device = device, Site = "calf", Type = EventMessage.CrampWarning, EventId = $"{device}:w", OnsetSeconds = 50 });
        }

        messages.Add(new PromptMessage { Id = "pi-01:hydrate", Time = "2026-11-25T22:00:00.000Z", Device = "pi-01", Kind = "hydrate", Urgency = "normal", Title = "Drink some water", Text = "Have a glass of water." });
        messages.Add(new PromptMessage { Id = "pi-01:doctor", Time = "2026-11-26T08:00:00.000Z", Device = "pi-01", Kind = "see_doctor", Urgency = "low", Title = "See a doctor", Text = "Cramps were frequent this week." });
        for (var i = 0; i < 20; i++)
        {
            messages.Add(new TelemetryMessage
            {
                Id = $"pi-01:t:{i}", Time = Time(At("2026-11-25T03:29:50.000Z").AddSeconds(i)), Device = "pi-01", Site = "calf",
                EnvelopeMicrovolts = 10 + i, Class = i >= 10 ? "cramp" : "rest", CrampActive = i >= 10, SkinTemperatureCelsius = 32 + (0.1 * i),
            });
        }

        for (var i = 0; i < 10; i++)
        {
            messages.Add(new TelemetryMessage
            {
                Id = $"pi-02:t:{i}", Time = Time(At("2026-11-25T04:00:00.000Z").AddSeconds(i)), Device = "pi-02", Site = "calf",
                EnvelopeMicrovolts = 5, Class = "rest", CrampActive = false, SkinTemperatureCelsius = 31.5,
            });
        }

        messages.Add(new FaultMessage { Id = "pi-01:f1", Time = "2026-11-25T23:40:00.000Z", Device = "pi-01", Site = "hamstring", Source = FaultMessage.SignalSource, Faults = ["railed", "flat"], OnsetSeconds = 7, Detail = "ADC channel 1 railed" });
        messages.Add(new FaultMessage { Id = "pi-01:f2", Time = "2026-11-26T01:00:00.000Z", Device = "pi-01", Site = "calf", Source = FaultMessage.SensorSource, Faults = ["adc_timeout"] });
        OutboxReport Outbox(long pending) => new() { Pending = pending, PendingBytes = pending * 300, DroppedTelemetry = 0, DroppedFault = 0, DroppedEvent = 0, DroppedPrompt = 0, Rejected = 0 };
        messages.Add(new StatusMessage { Id = "pi-01:s1", Time = "2026-11-25T03:00:00.000Z", Device = "pi-01", State = StatusMessage.Online, CrampsToday = 0, Outbox = Outbox(7) });
        messages.Add(new StatusMessage { Id = "pi-01:s2", Time = "2026-11-25T04:00:00.000Z", Device = "pi-01", State = StatusMessage.Online, CrampsToday = 1, Outbox = Outbox(0) });
        messages.Add(new StatusMessage { Id = "pi-01:s3", Time = "2026-11-26T09:00:00.000Z", Device = "pi-01", State = StatusMessage.Offline });
        messages.Add(new StatusMessage { Id = "pi-02:s1", Time = "2026-11-25T03:59:00.000Z", Device = "pi-02", State = StatusMessage.Online, CrampsToday = 1, Outbox = Outbox(2) });
        return messages;
    }

    /// <summary>
    /// The rows each query must return, by dashboard uid, panel title and refId. A series is written
    /// "tags (columns): time values | …" with times in UTC and numbers rounded to 4 decimals.
    /// </summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["crampsense-overview/Cramps per night/A"] =
        [
            "(time,cramps): 2026-11-23T12:00:00.000Z 1 | 2026-11-24T12:00:00.000Z 2 | 2026-11-25T12:00:00.000Z 1 | 2026-11-26T12:00:00.000Z 0",
        ],
        ["crampsense-overview/Cramps per day by site/A"] =
        [
            "site=calf (time,cramps): 2026-11-24T00:00:00.000Z 1 | 2026-11-25T00:00:00.000Z 2 | 2026-11-26T00:00:00.000Z 0",
            "site=hamstring (time,cramps): 2026-11-24T00:00:00.000Z 0 | 2026-11-25T00:00:00.000Z 1 | 2026-11-26T00:00:00.000Z 0",
        ],
        ["crampsense-overview/Cramp duration/A"] =
        [
            "site=calf (time,duration_s): 2026-11-24T02:10:40.000Z 40 | 2026-11-25T03:31:15.000Z 75 | 2026-11-25T04:00:50.000Z 50",
            "site=hamstring (time,duration_s): 2026-11-25T23:50:30.000Z 30",
        ],
        ["crampsense-overview/Cramp intensity/A"] =
        [
            "site=calf (time,peak_pct_max): 2026-11-24T02:10:40.000Z 61.5 | 2026-11-25T03:31:15.000Z 80 | 2026-11-25T04:00:50.000Z 70",
            "site=hamstring (time,peak_pct_max): 2026-11-25T23:50:30.000Z 45",
        ],
        ["crampsense-overview/Time of night/A"] =
        [
            "(time,hour_utc): 2026-11-24T02:10:00.000Z 2.1667 | 2026-11-25T03:30:00.000Z 3.5 | 2026-11-25T04:00:00.000Z 4 | 2026-11-25T23:50:00.000Z 23.8333",
        ],
        ["crampsense-overview/Skin temperature/A"] =
        [
            "device=pi-01 (time,mean): 2026-11-25T03:00:00.000Z 32.95",
            "device=pi-02 (time,mean): 2026-11-25T04:00:00.000Z 31.5",
        ],
        ["crampsense-overview/Warnings per day/A"] =
        [
            "site=calf (time,warnings): 2026-11-24T00:00:00.000Z 1 | 2026-11-25T00:00:00.000Z 1 | 2026-11-26T00:00:00.000Z 0",
        ],
        ["crampsense-overview/Prompts sent per day/A"] =
        [
            "kind=hydrate (time,prompts): 2026-11-24T00:00:00.000Z 0 | 2026-11-25T00:00:00.000Z 1 | 2026-11-26T00:00:00.000Z 0",
            "kind=see_doctor (time,prompts): 2026-11-24T00:00:00.000Z 0 | 2026-11-25T00:00:00.000Z 0 | 2026-11-26T00:00:00.000Z 1",
            "kind=stretch (time,prompts): 2026-11-24T00:00:00.000Z 1 | 2026-11-25T00:00:00.000Z 3 | 2026-11-26T00:00:00.000Z 0",
        ],
        ["crampsense-overview/Frequency advisories/A"] =
        [
            "(time,device,title,text): 2026-11-26T08:00:00.000Z pi-01 See a doctor Cramps were frequent this week.",
        ],
        ["crampsense-device/$device/variable"] =
        [
            "(key,value): device pi-01 | device pi-02",
        ],
        ["crampsense-device/Online/A"] = ["(time,last): 2026-11-26T09:00:00.000Z 0"],
        ["crampsense-device/Cramps today/A"] = ["(time,last): 2026-11-25T04:00:00.000Z 1"],
        ["crampsense-device/Outbox backlog/A"] = ["(time,last): 2026-11-25T03:00:00.000Z 7 | 2026-11-25T04:00:00.000Z 0"],
        ["crampsense-device/Muscle activity/A"] = ["site=calf (time,mean): 2026-11-25T03:00:00.000Z 19.5"],
        ["crampsense-device/Cramp active/A"] = ["site=calf (time,max): 2026-11-25T03:00:00.000Z 1"],
        ["crampsense-device/Skin temperature/A"] = ["site=calf (time,mean): 2026-11-25T03:00:00.000Z 32.95"],
        ["crampsense-device/Sensor faults/A"] =
        [
            "(time,fault_count,detail,faults,source,site): 2026-11-25T23:40:00.000Z 2 ADC channel 1 railed flat,railed signal hamstring | 2026-11-26T01:00:00.000Z 1 null adc_timeout sensor calf",
        ],
    };

    internal static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CrampSense.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine([directory?.FullName ?? throw new InvalidOperationException("CrampSense.sln not found above " + AppContext.BaseDirectory), .. parts]);
    }

    /// <summary>Every query of both dashboards: (key, InfluxQL).</summary>
    public static IEnumerable<(string Key, string Query)> DashboardQueries()
    {
        foreach (var file in Directory.GetFiles(RepositoryFile("deploy", "grafana", "dashboards"), "*.json").Order(StringComparer.Ordinal))
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            var uid = dashboard["uid"]!.GetValue<string>();
            foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
            {
                yield return ($"{uid}/${variable!["name"]!.GetValue<string>()}/variable", variable["query"]!.GetValue<string>());
            }

            foreach (var panel in dashboard["panels"]!.AsArray())
            {
                foreach (var target in panel!["targets"]?.AsArray() ?? [])
                {
                    yield return ($"{uid}/{panel["title"]!.GetValue<string>()}/{target!["refId"]!.GetValue<string>()}", target["query"]!.GetValue<string>());
                }
            }
        }
    }

    public static TheoryData<string> QueryKeys() => [.. DashboardQueries().Select(q => q.Key)];

    [Theory]
    [MemberData(nameof(QueryKeys))]
    public async Task Query_OnTheMappedNight_ReturnsTheExpectedRows(string key)
    {
        var ct = TestContext.Current.CancellationToken;
        var server = influx.Server;
        var query = GrafanaMacros.Expand(DashboardQueries().Single(q => q.Key == key).Query, From, To, Interval, Variables);
        Assert.True(Expected.TryGetValue(key, out var expected), $"No expected rows for the dashboard query {key}: add them to {nameof(Expected)}.");

        var result = await server.QueryAsync(Database, query, ct);

        Assert.Equal(expected, Describe(result));
    }

    [Fact]
    public void Expected_CoversExactlyTheDashboardQueries()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), DashboardQueries().Select(q => q.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboards_HaveFixedUidsTitlesAndTheProvisionedDatasource()
    {
        var datasource = File.ReadAllText(RepositoryFile("deploy", "grafana", "provisioning", "datasources", "influxdb.yaml"));
        Assert.Contains("uid: crampsense-influxdb", datasource, StringComparison.Ordinal);
        var dashboards = Directory.GetFiles(RepositoryFile("deploy", "grafana", "dashboards"), "*.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .ToDictionary(d => d["uid"]!.GetValue<string>(), d => d);

        Assert.Equal("CrampSense — overview", dashboards["crampsense-overview"]["title"]!.GetValue<string>());
        Assert.Equal("CrampSense — device", dashboards["crampsense-device"]["title"]!.GetValue<string>());
        Assert.Equal("device", dashboards["crampsense-device"]["templating"]!["list"]![0]!["name"]!.GetValue<string>());
        foreach (var panel in dashboards.Values.SelectMany(d => d["panels"]!.AsArray()))
        {
            Assert.Equal("crampsense-influxdb", panel!["datasource"]!["uid"]!.GetValue<string>());
            Assert.All(panel["targets"]!.AsArray(), t => Assert.True(t!["rawQuery"]!.GetValue<bool>(), $"{panel["title"]}: InfluxQL as raw query"));
        }

        Assert.Equal(dashboards.Values.SelectMany(d => d["panels"]!.AsArray()).Count(), dashboards.Values.Sum(d => d["panels"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()).Distinct().Count()));
    }

    private static string[] Describe(JsonElement result)
    {
        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }

        return
        [
            .. series.EnumerateArray().Select(s =>
            {
                var tags = s.TryGetProperty("tags", out var t) ? string.Join(",", t.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}")) + " " : "";
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToArray();
                var rows = s.GetProperty("values").EnumerateArray().Select(row =>
                    string.Join(" ", row.EnumerateArray().Select((v, i) => columns[i] == "time" ? Time(DateTimeOffset.FromUnixTimeMilliseconds(v.GetInt64())) : Value(v))));
                return $"{tags}({string.Join(",", columns)}): {string.Join(" | ", rows)}";
            }),
        ];
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Math.Round(value.GetDouble(), 4).ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    /// <summary>influxd 1.x with database "crampsense" holding <see cref="Night"/> as the bridge maps it.</summary>
    public sealed class LoadedInflux : IAsyncLifetime
    {
        private InfluxDb1Server? _server;
        private Exception? _skipped;

        public InfluxDb1Server Server
        {
            get
            {
                if (_skipped is not null)
                {
                    Assert.Skip(_skipped.Message.Replace("$XunitDynamicSkip$", string.Empty, StringComparison.Ordinal));
                }

                return _server!;
            }
        }

        public async ValueTask InitializeAsync()
        {
            try
            {
                _server = await InfluxDb1Server.StartAsync(CancellationToken.None);
            }
            catch (Exception e) when (e.Message.StartsWith("$XunitDynamicSkip$", StringComparison.Ordinal))
            {
                _skipped = e;
                return;
            }

            await _server.QueryAsync("", $"CREATE DATABASE \"{Database}\"", CancellationToken.None);
            await _server.WriteAsync(Database, Night().Select(m => InfluxPointMapper.ToLineProtocol(m)), CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
