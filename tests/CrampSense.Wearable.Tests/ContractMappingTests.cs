using System.Text.Json;
using System.Text.Json.Nodes;
using CrampSense.Coaching;
using CrampSense.Contract;
using CrampSense.Detection;
using CrampSense.Signals.Features;
using CrampSense.Wearable.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CrampSense.Wearable.Tests;

/// <summary>Detector events and coach prompts in contract form: the fields, the ids, and payloads that match the schemas.</summary>
public sealed class ContractMappingTests
{
    public static TheoryData<string, string> MappedPayloads() => new()
    {
        { "started", Json(ContractMapping.ToEventMessage(DetectorSamples.Started(), DetectorSamples.Time)) },
        { "ended", Json(ContractMapping.ToEventMessage(DetectorSamples.Ended(), DetectorSamples.Time)) },
        { "warning", Json(ContractMapping.ToEventMessage(DetectorSamples.Warning(), DetectorSamples.Time)) },
        { "signal fault", Json(ContractMapping.ToFaultMessage(DetectorSamples.SignalFault(), DetectorSamples.Time)) },
        { "sensor fault", Json(ContractMapping.ToSensorFaultMessage("pi-01", null, FaultCodes.BusError, new string('x', 5000), DetectorSamples.Time)) },
        { "coach stretch prompt", Json(CoachPromptFor(DetectorSamples.Started())) },
        { "coach aftercare prompt", Json(CoachPromptFor(DetectorSamples.Ended())) },
    };

    [Theory]
    [MemberData(nameof(MappedPayloads))]
    public void Payload_MappedFromTheDomain_MatchesItsSchema(string what, string json)
    {
        Assert.False(string.IsNullOrEmpty(what));
        SchemaValidator.AssertValid(json);
    }

    [Fact]
    public void ToEventMessage_Started_CarriesContractFieldsAndDeterministicUniqueId()
    {
        var started = ContractMapping.ToEventMessage(DetectorSamples.Started(), DetectorSamples.Time);
        var ended = ContractMapping.ToEventMessage(DetectorSamples.Ended(), DetectorSamples.Time);
        var node = JsonNode.Parse(Json(started))!;

        Assert.Equal(SchemaNames.Event, (string?)node["schema"]);
        Assert.Equal("2026-11-26T14:00:00.123Z", (string?)node["time"]);
        Assert.Equal("cramp_started", (string?)node["type"]);
        Assert.Equal("pi-01:calf:cramp:12500", (string?)node["event_id"]);
        Assert.Equal("pi-01:calf:cramp:12500:cramp_started", started.Id);
        Assert.NotEqual(started.Id, ended.Id);
        Assert.Equal(started.Id, ContractMapping.ToEventMessage(DetectorSamples.Started(), DetectorSamples.Time.AddHours(1)).Id);
        Assert.Equal("quiet", ended.EndReason);
    }

    [Fact]
    public void ToEventMessage_DetectorSamples_AreTheContractSamplesOtherRoomsTestWith()
    {
        Assert.Equal(Samples.Started(), ContractMapping.ToEventMessage(DetectorSamples.Started(), DetectorSamples.Time));
        Assert.Equal(Samples.Ended(), ContractMapping.ToEventMessage(DetectorSamples.Ended(), DetectorSamples.Time));
        Assert.Equal(Samples.Warning(), ContractMapping.ToEventMessage(DetectorSamples.Warning(), DetectorSamples.Time));
        var fault = ContractMapping.ToFaultMessage(DetectorSamples.SignalFault(), DetectorSamples.Time);
        Assert.Equal(Samples.SignalFault() with { Faults = fault.Faults }, fault);
        Assert.Equal(Samples.SignalFault().Faults, fault.Faults);
    }

    [Fact]
    public void ToEventMessage_SignalFault_IsRefusedForTheEventTopic()
    {
        var ex = Assert.Throws<ArgumentException>(() => ContractMapping.ToEventMessage(DetectorSamples.SignalFault(), DetectorSamples.Time));
        Assert.Contains("fault topic", ex.Message);
        Assert.Equal(new[] { "railed", "flat" }, ContractMapping.ToFaultMessage(DetectorSamples.SignalFault(), DetectorSamples.Time).Faults);
    }

    [Fact]
    public void ToFaultMessage_EveryDetectorFaultName_IsAContractSignalFaultCode()
    {
        foreach (var flag in Enum.GetValues<SignalQuality>().Where(f => f != SignalQuality.None && (WindowAssessment.ReportedFaults & f) == f))
        {
            var name = Assert.Single(CrampEvent.FaultNames(flag));
            Assert.Contains(name, FaultCodes.Signal);
        }
    }

    [Fact]
    public void ToSensorFaultMessage_NoSiteAndALongDetail_IsForTheDeviceWithTheDetailCutToTheSchemasLimit()
    {
        var message = ContractMapping.ToSensorFaultMessage("pi-01", null, FaultCodes.ChipMissing, new string('x', 5000), DetectorSamples.Time);

        Assert.Equal("device", message.Site);
        Assert.Equal(FaultMessage.SensorSource, message.Source);
        Assert.Equal([FaultCodes.ChipMissing], message.Faults);
        Assert.Equal(FaultCodes.DetailMaxLength, message.Detail!.Length);
    }

    [Fact]
    public void ToPromptMessage_CarriesTheCoachsIdKindSiteAndTheTriggeringEvent()
    {
        var started = DetectorSamples.Started();

        var message = CoachPromptFor(started);

        Assert.Equal("stretch", message.Kind);
        Assert.Equal("high", message.Urgency);
        Assert.Equal(started.Site, message.Site);
        Assert.Equal(started.Id, message.EventId);
        Assert.StartsWith(started.Id, message.Id, StringComparison.Ordinal);
        Assert.Equal("pi-01", message.Device);
        Assert.False(string.IsNullOrWhiteSpace(message.Text));
    }

    /// <summary>The first prompt the real coach gives for <paramref name="cramp"/>, in contract form.</summary>
    private static PromptMessage CoachPromptFor(CrampEvent cramp)
    {
        var coach = new CrampCoach("pi-01", new CoachOptions(), new FakeTimeProvider(DetectorSamples.Time), TimeZoneInfo.Utc);
        if (cramp.Type == CrampEventKind.CrampEnded)
        {
            coach.OnEvent(cramp with { Type = CrampEventKind.CrampStarted, EndSeconds = null, DurationSeconds = null });
        }

        var prompt = coach.OnEvent(cramp)[0];
        return ContractMapping.ToPromptMessage(prompt, "pi-01");
    }

    private static string Json<T>(T message)
        where T : ContractMessage =>
        message switch
        {
            EventMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.EventMessage),
            PromptMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.PromptMessage),
            FaultMessage m => JsonSerializer.Serialize(m, ContractJsonContext.Default.FaultMessage),
            _ => throw new ArgumentException("unknown"),
        };
}
