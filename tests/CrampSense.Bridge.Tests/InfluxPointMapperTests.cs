using CrampSense.Bridge.Mapping;
using InfluxDB.Client;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Contract;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class InfluxPointMapperTests
{
    // 2026-11-26T02:00:00.000Z in Unix ms.
    private const long StartMs = 1_795_658_400_000;

    [Fact]
    public void ToLineProtocol_CrampStarted_TagsDeviceSiteTypeAndKeepsIdsAndNumbersAsFields()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Started("pi-01", 3));

        Assert.Equal(
            "cramp_event,device=pi-01,site=calf,type=cramp_started " +
            "confidence=0.91,confirmed_s=7.5,duration_s=4.5,event_id=\"pi-01:calf:cramp:3\",hour_utc=2," +
            "id=\"pi-01:calf:cramp:3:cramp_started\",mean_pct_max=40.125,mean_uv=80.25,model_version=\"m-2026.11\"," +
            "onset_s=3,peak_pct_max=55.5,peak_uv=103,skin_temp_c=33.4 " + (StartMs + 30),
            line);
    }

    [Fact]
    public void ToPoint_StartedAndEndedAtTheSameMillisecond_AreDifferentSeries()
    {
        var started = TestMessages.Started("pi-01", 3);
        var ended = TestMessages.Ended("pi-01", 3) with { Time = started.Time };

        var startedLine = InfluxPointMapper.ToLineProtocol(started);
        var endedLine = InfluxPointMapper.ToLineProtocol(ended);

        Assert.StartsWith("cramp_event,device=pi-01,site=calf,type=cramp_started ", startedLine);
        Assert.StartsWith("cramp_event,device=pi-01,site=calf,type=cramp_ended ", endedLine);
        Assert.EndsWith(" " + (StartMs + 30), endedLine);
        Assert.Contains("end_reason=\"quiet\"", endedLine);
        Assert.Contains("end_s=33", endedLine);
    }

    [Fact]
    public void ToPoint_SameMessageTwice_GivesTheSameLine()
    {
        // A redelivery must overwrite the first write: same series, same timestamp, same fields.
        var message = TestMessages.Fault("pi-01", 9);

        Assert.Equal(InfluxPointMapper.ToLineProtocol(message), InfluxPointMapper.ToLineProtocol(message with { }));
    }

    [Fact]
    public void ToPoint_TimestampIsThePayloadTimeInMilliseconds()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Telemetry("pi-01", 0) with { Time = "2026-11-26T13:56:21.123Z" });

        Assert.EndsWith(" " + DateTimeOffset.Parse("2026-11-26T13:56:21.123Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), line);
        Assert.Equal(InfluxDB.Client.Api.Domain.WritePrecision.Ms, InfluxPointMapper.Precision);
    }

    [Fact]
    public void ToLineProtocol_FeedbackApplied_TagsWhatTheWearerSaidAndKeepsEventAndCommandIds()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.FeedbackApplied("pi-01", 3, EventMessage.Rejected));

        Assert.Equal(
            "cramp_event,device=pi-01,feedback=rejected,site=calf,type=feedback_applied " +
            "command_id=\"cmd-3\",event_id=\"pi-01:calf:cramp:3\",hour_utc=2,id=\"pi-01:calf:cramp:3:feedback_applied:rejected\"," +
            "model_version=\"m-2026.11\",onset_s=3 " + (StartMs + 35),
            line);
    }

    [Fact]
    public async Task FeedbackApplied_FromItsPayload_ReadsBackWithItsFieldsFromVictoriaMetricsAndInfluxDb1()
    {
        // From the payload the wearable publishes, through the validator, to both databases: the feedback (a tag, so
        // VictoriaMetrics, which stores string fields as 0, keeps it too), the event it is about and the command.
        var ct = TestContext.Current.CancellationToken;
        var device = TestMessages.NewDevice("fb");
        string[] said = [EventMessage.Confirmed, EventMessage.Rejected, EventMessage.Reported];
        var messages = said.Select((feedback, i) => TestMessages.FeedbackApplied(device, i, feedback)).ToList();
        var validator = new CrampSense.Bridge.Validation.ContractPayloadValidator();
        var lines = messages.Select(m =>
        {
            var result = validator.Validate(TestMessages.Topic(m), new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(TestMessages.Json(m))));
            Assert.True(result.IsValid, result.Reason);
            return InfluxPointMapper.ToLineProtocol(result.Message!);
        }).ToList();

        await using var victoria = await VictoriaMetricsServer.CreateAsync(start: true, ct);
        using (var client = new InfluxDBClient(new InfluxDBClientOptions(victoria.Url.ToString()) { Token = "t", Org = "crampsense", Bucket = "crampsense" }))
        {
            await client.GetWriteApiAsync().WriteRecordsAsync(lines, InfluxPointMapper.Precision, "crampsense", "crampsense", ct);
        }

        var stored = (await victoria.ExportAsync("cramp_event", ct)).Where(s => s.Name == "cramp_event_onset_s" && s.Tag("device") == device).ToList();
        await using var influx = await InfluxDb1Server.StartAsync(ct);
        await influx.QueryAsync("", "CREATE DATABASE \"feedback\"", ct);
        await influx.WriteAsync("feedback", lines, ct);
        var result = await influx.QueryAsync("feedback", $"SELECT \"event_id\", \"command_id\", \"feedback\", \"type\" FROM \"cramp_event\" WHERE \"device\" = '{device}' ORDER BY time", ct);
        var rows = result.GetProperty("series")[0].GetProperty("values").EnumerateArray().ToList();

        Assert.Equal(messages.Count, rows.Count);
        foreach (var (message, row) in messages.Zip(rows))
        {
            var sample = Assert.Single(stored, s => s.Tag("feedback") == message.Feedback);
            Assert.Equal(EventMessage.FeedbackApplied, sample.Tag("type"));
            Assert.Equal(message.OnsetSeconds, sample.Value);

            Assert.Equal(message.EventId, row[1].GetString());
            Assert.Equal(message.CommandId, row[2].GetString());
            Assert.Equal(message.Feedback, row[3].GetString());
            Assert.Equal(EventMessage.FeedbackApplied, row[4].GetString());
        }
    }

    [Fact]
    public void ToLineProtocol_Warning_GoesToItsOwnMeasurementWithoutTypeTag()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Warning("pi-01", 2));

        Assert.Equal(
            "cramp_warning,device=pi-01,site=calf event_id=\"pi-01:calf:warning:2\",hour_utc=2,id=\"pi-01:calf:warning:2\"," +
            "mean_uv=18,onset_s=2,peak_uv=25 " + (StartMs + 20),
            line);
    }

    [Fact]
    public void ToLineProtocol_Prompt_TagsKindUrgencySiteAndEscapesText()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Prompt("pi-01", 1));

        Assert.Equal(
            "prompt,device=pi-01,kind=stretch,site=calf,urgency=high count=1i,event_id=\"pi-01:calf:cramp:1\",id=\"pi-01:prompt:1\"," +
            "text=\"Stop, straighten the knee and pull the foot up. Hold about 30 s, \\\"gently\\\".\",title=\"Stretch your calf\" " + (StartMs + 10),
            line);
    }

    [Fact]
    public void ToLineProtocol_PromptWithoutSite_HasNoSiteTag()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Prompt("pi-01", 1, "hydrate") with { Site = null, EventId = null });

        Assert.StartsWith("prompt,device=pi-01,kind=hydrate,urgency=high count=1i,id=", line);
        Assert.DoesNotContain("event_id", line);
    }

    [Fact]
    public void ToLineProtocol_Telemetry_CrampActiveIsAnInteger()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Telemetry("pi-01", 1));

        Assert.Equal(
            "telemetry,device=pi-01,site=calf class=\"rest\",cramp_active=1i,envelope_uv=13.5,id=\"pi-01:t:1\",pct_max=4.25,skin_temp_c=32.75 " + (StartMs + 1000),
            line);
    }

    [Fact]
    public void ToLineProtocol_TelemetryWithHum_WritesHumUv()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Telemetry("pi-01", 1) with { HumMicrovolts = 212.5 });

        Assert.Contains(",hum_uv=212.5,", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLineProtocol_TelemetryWithoutOptionalFields_LeavesThemOut()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Telemetry("pi-01", 0) with { PercentOfMax = null, SkinTemperatureCelsius = null });

        Assert.Equal("telemetry,device=pi-01,site=calf class=\"rest\",cramp_active=0i,envelope_uv=12.5,id=\"pi-01:t:0\" " + StartMs, line);
    }

    [Fact]
    public void ToLineProtocol_Fault_TagsSourceAndSortedCodes()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Fault("pi-01", 4));

        Assert.Equal(
            "fault,device=pi-01,faults=flat\\,railed,site=hamstring,source=signal detail=\"ADC channel 1 railed at 1023\"," +
            "event_id=\"pi-01:hamstring:fault:4\",fault_count=2i,id=\"pi-01:fault:4\",onset_s=4.5 " + (StartMs + 40),
            line);
    }

    [Fact]
    public void ToLineProtocol_Status_OnlineWithOutboxCounters()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Status("pi-01", 5));

        Assert.Equal(
            "device_status,device=pi-01 cramps_today=3i,id=\"pi-01:status:5\",online=1i,outbox_dropped_event=0i,outbox_dropped_fault=0i," +
            "outbox_dropped_prompt=0i,outbox_dropped_telemetry=1i,outbox_pending=7i,outbox_pending_bytes=2048i,outbox_rejected=2i,state=\"online\" " + (StartMs + 50),
            line);
    }

    [Fact]
    public void ToLineProtocol_LastWill_IsOfflineWithoutCounters()
    {
        var will = new StatusMessage { Id = "w", Time = "2026-11-26T02:00:00.000Z", Device = "pi-01", State = StatusMessage.Offline };

        Assert.Equal("device_status,device=pi-01 id=\"w\",online=0i,state=\"offline\" " + StartMs, InfluxPointMapper.ToLineProtocol(will));
    }

    [Fact]
    public void ToLineProtocol_SiteWithSpaceAndComma_IsEscapedInTheTag()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Telemetry("pi-01", 0) with { Site = "left calf,upper" });

        Assert.StartsWith("telemetry,device=pi-01,site=left\\ calf\\,upper ", line);
    }

    [Theory]
    [InlineData("2026-11-26T02:00:00Z")]
    [InlineData("2026-11-26 02:00:00.000")]
    [InlineData("yesterday")]
    public void TimestampMilliseconds_NotContractTime_ThrowsNamingTheField(string time)
    {
        var error = Assert.Throws<ArgumentException>(() => InfluxPointMapper.TimestampMilliseconds(time));

        Assert.Contains("time: '" + time + "'", error.Message);
    }

    [Fact]
    public void ToPoint_EveryMeasurementOfTheSchema_IsProduced()
    {
        var device = "pi-01";
        ContractMessage[] messages =
        [
            TestMessages.Started(device, 1), TestMessages.Warning(device, 1), TestMessages.Prompt(device, 1),
            TestMessages.Fault(device, 1), TestMessages.Telemetry(device, 1), TestMessages.Status(device, 1),
        ];

        var measurements = messages.Select(m => InfluxPointMapper.ToLineProtocol(m).Split(',')[0]).ToArray();

        Assert.Equal(InfluxSchema.Measurements, measurements);
    }

    [Fact]
    public void ToPoint_HourUtc_IsHoursAfterUtcMidnightOfTheMessageTime()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Started("pi-01", 0) with { Time = "2026-11-26T03:45:00.000Z" });

        Assert.Contains(",hour_utc=3.75,", line);
    }

    /// <summary>Site names that line protocol must escape (the contract refuses them; the mapper does not rely on that).</summary>
    private static readonly string[] EscapedSites = ["ca,lf", "ca lf", "ca=lf", ",", "\"calf\"", "calf ", "=,= "];

    [Theory]
    [InlineData("calf\\")]
    [InlineData("ca\\lf")]
    [InlineData("calf\\\\")]
    [InlineData("calf\n")]
    public void ToLineProtocol_TagValueWithABackslashOrControlCharacter_IsRefusedNamingTheTag(string site)
    {
        var ex = Assert.Throws<ArgumentException>(() => InfluxPointMapper.ToLineProtocol(TestMessages.Started("pi-01", 3, site: site)));

        Assert.StartsWith("site: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLineProtocol_StringFieldWithQuotesAndBackslashes_IsEscaped()
    {
        var line = InfluxPointMapper.ToLineProtocol(TestMessages.Started("pi-01", 3) with { ModelVersion = "m\"1\\" });

        Assert.Contains("model_version=\"m\\\"1\\\\\"", line);
    }

    [Fact]
    public async Task ToLineProtocol_TagAndFieldValuesNeedingEscapes_ReadBackUnchangedFromVictoriaMetricsAndInfluxDb1()
    {
        // Each site on its own device, so every line is its own series; the tag after the site (type) and the string
        // field (quotes, backslashes, a trailing backslash) must come back intact from both databases.
        var ct = TestContext.Current.CancellationToken;
        var messages = EscapedSites.Select((site, i) => TestMessages.Started($"esc-{i}-{Guid.NewGuid().ToString("N")[..8]}", i, site) with { ModelVersion = site + "\"v\\" }).ToList();
        var lines = messages.Select(InfluxPointMapper.ToLineProtocol).ToList();

        await using var victoria = await VictoriaMetricsServer.CreateAsync(start: true, ct);
        using (var client = new InfluxDBClient(new InfluxDBClientOptions(victoria.Url.ToString()) { Token = "t", Org = "crampsense", Bucket = "crampsense" }))
        {
            await client.GetWriteApiAsync().WriteRecordsAsync(lines, InfluxPointMapper.Precision, "crampsense", "crampsense", ct);
        }

        var stored = (await victoria.ExportAsync("cramp_event", ct)).Where(s => s.Name == "cramp_event_onset_s").ToList();
        await using var influx = await InfluxDb1Server.StartAsync(ct);
        await influx.QueryAsync("", "CREATE DATABASE \"escapes\"", ct);
        await influx.WriteAsync("escapes", lines, ct);

        foreach (var message in messages)
        {
            var sample = Assert.Single(stored, s => s.Tag("device") == message.Device);
            Assert.Equal(message.Site, sample.Tag("site"));
            Assert.Equal(EventMessage.CrampStarted, sample.Tag("type"));
            Assert.Equal(message.OnsetSeconds, sample.Value);

            var result = await influx.QueryAsync("escapes", $"SELECT \"onset_s\", \"site\", \"type\", \"model_version\" FROM \"cramp_event\" WHERE \"device\" = '{message.Device}'", ct);
            var row = Assert.Single(result.GetProperty("series")[0].GetProperty("values").EnumerateArray());
            Assert.Equal(message.OnsetSeconds, row[1].GetDouble());
            Assert.Equal(message.Site, row[2].GetString());
            Assert.Equal(EventMessage.CrampStarted, row[3].GetString());
            Assert.Equal(message.ModelVersion, row[4].GetString());
        }
    }
}
