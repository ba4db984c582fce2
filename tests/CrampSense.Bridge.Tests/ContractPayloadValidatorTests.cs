using System.Buffers;
using System.Text;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Bridge.Validation;
using CrampSense.Messaging.Contract;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class ContractPayloadValidatorTests
{
    private static readonly ContractPayloadValidator Validator = new(maxPayloadBytes: 4096);

    private static ValidationResult Validate(string topic, string payload) =>
        Validator.Validate(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)));

    public static TheoryData<string> EveryKind() => ["event", "warning", "prompt", "telemetry", "fault", "status"];

    private static ContractMessage Sample(string kind) => kind switch
    {
        "event" => TestMessages.Ended("pi-01", 1),
        "warning" => TestMessages.Warning("pi-01", 1),
        "prompt" => TestMessages.Prompt("pi-01", 1),
        "telemetry" => TestMessages.Telemetry("pi-01", 1),
        "fault" => TestMessages.Fault("pi-01", 1),
        _ => TestMessages.Status("pi-01", 1),
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Validate_ValidPayloadOnItsTopic_ReturnsTheEqualMessage(string kind)
    {
        var message = Sample(kind);

        var result = Validate(TestMessages.Topic(message), TestMessages.Json(message));

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(TestMessages.Json(message), TestMessages.Json(result.Message!));
    }

    [Fact]
    public void Validate_EventPayloadOnTheTelemetryTopic_NamesTheSchema()
    {
        var result = Validate("crampsense/v1/pi-01/telemetry", TestMessages.Json(TestMessages.Started("pi-01", 1)));

        Assert.False(result.IsValid);
        Assert.Contains("crampsense.telemetry.v1", result.Reason);
    }

    [Fact]
    public void Validate_DeviceDiffersFromTopic_IsInvalid()
    {
        var result = Validate("crampsense/v1/pi-02/event", TestMessages.Json(TestMessages.Started("pi-01", 1)));

        Assert.Equal("payload device 'pi-01' is not the topic's device 'pi-02'.", result.Reason);
    }

    [Fact]
    public void Validate_NotJson_SaysSo()
    {
        var result = Validate("crampsense/v1/pi-01/event", "{\"schema\": ");

        Assert.StartsWith("payload is not JSON:", result.Reason);
    }

    [Fact]
    public void Validate_MissingRequiredField_NamesIt()
    {
        var json = TestMessages.Json(TestMessages.Telemetry("pi-01", 1)).Replace("\"envelope_uv\":13.5,", "", StringComparison.Ordinal);

        var result = Validate("crampsense/v1/pi-01/telemetry", json);

        Assert.False(result.IsValid);
        Assert.Contains("envelope_uv", result.Reason);
    }

    [Fact]
    public void Validate_WrongType_NamesTheField()
    {
        var json = TestMessages.Json(TestMessages.Telemetry("pi-01", 1)).Replace("\"envelope_uv\":13.5", "\"envelope_uv\":\"high\"", StringComparison.Ordinal);

        var result = Validate("crampsense/v1/pi-01/telemetry", json);

        Assert.False(result.IsValid);
        Assert.Contains("/envelope_uv", result.Reason);
    }

    [Theory]
    [InlineData("crampsense/v1/pi-01/event/extra", "not crampsense/v1/<device>/<kind>")]
    [InlineData("other/v1/pi-01/event", "not crampsense/v1/<device>/<kind>")]
    [InlineData("crampsense/v1/PI 01/event", "not a valid device id")]
    [InlineData("crampsense/v1/pi-01/diary", "not a contract topic kind")]
    public void Validate_TopicOutsideTheContract_IsInvalid(string topic, string reason)
    {
        var result = Validate(topic, TestMessages.Json(TestMessages.Started("pi-01", 1)));

        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public void Validate_PayloadLargerThanTheLimit_IsInvalid()
    {
        var result = Validate("crampsense/v1/pi-01/event", new string(' ', 5000));

        Assert.Contains("larger than Mqtt:MaxPayloadBytes (4096)", result.Reason);
    }
}
