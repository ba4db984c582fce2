using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace CrampSense.Contract.Tests;

/// <summary>Every payload matches its embedded JSON Schema; the schemas reject what the contract forbids. (The mapped detector events and coach prompts: ContractMappingTests.)</summary>
public sealed class ContractMessagesTests
{
    public static TheoryData<string, string> ProducedPayloads() => new()
    {
        { "started", Json(Samples.Started()) },
        { "ended", Json(Samples.Ended()) },
        { "warning", Json(Samples.Warning()) },
        { "feedback applied", Json(new EventMessage
            {
                Id = "pi-01:calf:cramp:12500:feedback_applied:rejected", Time = ContractTime.Format(Samples.Time), Device = "pi-01", Site = "calf",
                Type = EventMessage.FeedbackApplied, EventId = "pi-01:calf:cramp:12500", OnsetSeconds = 12.5, Feedback = EventMessage.Rejected, CommandId = "c-17",
            }) },
        { "signal fault", Json(Samples.SignalFault()) },
        { "sensor fault", Json(Samples.SensorFault()) },
        { "prompt", Json(Samples.Prompt()) },
        { "prompt without site", Json(Samples.Prompt() with { Site = null, Kind = "hydrate", Urgency = "low", EventId = null }) },
        { "telemetry", Json(Samples.Telemetry()) },
        { "telemetry without profile, temperature or hum", Json(Samples.Telemetry() with { PercentOfMax = null, SkinTemperatureCelsius = null, HumMicrovolts = null }) },
        { "status", Json(new StatusMessage
            {
                Id = "s-1", Time = ContractTime.Format(Samples.Time), Device = "pi-01", State = StatusMessage.Online, CrampsToday = 2,
                Outbox = new OutboxReport { Pending = 3, PendingBytes = 900, DroppedTelemetry = 7, DroppedFault = 0, DroppedEvent = 0, DroppedPrompt = 0, Rejected = 0 },
            }) },
        { "will", Json(new StatusMessage { Id = "s-2", Time = ContractTime.Format(Samples.Time), Device = "pi-01", State = StatusMessage.Offline }) },
    };

    [Theory]
    [MemberData(nameof(ProducedPayloads))]
    public void Payload_ProducedByTheCode_MatchesItsSchema(string what, string json)
    {
        Assert.False(string.IsNullOrEmpty(what));
        SchemaValidator.AssertValid(json);
    }

    [Theory]
    [InlineData("time", "2026-11-26T14:00:00Z")]
    [InlineData("time", "2026-11-26T14:00:00.123+01:00")]
    [InlineData("device", "pi/01")]
    [InlineData("type", "signal_fault")]
    [InlineData("schema", "crampsense.event.v2")]
    public void Schema_ViolatingValue_IsRejected(string field, string value)
    {
        var node = JsonNode.Parse(Json(Samples.Started()))!;
        node[field] = value;
        Assert.NotEmpty(SchemaValidator.Errors(SchemaNames.Event, node.ToJsonString()));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("time")]
    [InlineData("device")]
    [InlineData("site")]
    public void Schema_MissingCommonField_IsRejected(string field)
    {
        var node = JsonNode.Parse(Json(Samples.Telemetry()))!.AsObject();
        node.Remove(field);
        Assert.NotEmpty(SchemaValidator.Errors(SchemaNames.Telemetry, node.ToJsonString()));
    }

    [Fact]
    public void Schema_NegativeHumLevel_IsRejected()
    {
        Assert.NotEmpty(SchemaValidator.Errors(Json(Samples.Telemetry() with { HumMicrovolts = -1 })));
    }

    [Fact]
    public void Schema_UnknownPromptKind_IsRejected()
    {
        Assert.NotEmpty(SchemaValidator.Errors(Json(Samples.Prompt() with { Kind = "dance" })));
    }

    [Fact]
    public void ContractSchemas_Read_UnknownName_NamesTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => ContractSchemas.Read("crampsense.nope.v1"));
        Assert.Contains(SchemaNames.Event, ex.Message);
    }

    internal static string Json<T>(T message)
        where T : ContractMessage =>
        message switch
        {
            EventMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.EventMessage),
            PromptMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.PromptMessage),
            TelemetryMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.TelemetryMessage),
            FaultMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.FaultMessage),
            StatusMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.StatusMessage),
            _ => throw new ArgumentException("unknown"),
        };

    [Theory]
    [InlineData(SchemaNames.Event)]
    [InlineData(SchemaNames.Prompt)]
    [InlineData(SchemaNames.Telemetry)]
    [InlineData(SchemaNames.Fault)]
    public void Schema_Site_HasTheSiteNamePattern(string schemaName)
    {
        using var schema = JsonDocument.Parse(ContractSchemas.Read(schemaName));

        Assert.Equal(SiteName.Pattern, schema.RootElement.GetProperty("properties").GetProperty("site").GetProperty("pattern").GetString());
    }
}
