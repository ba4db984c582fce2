using System.Buffers;
using System.Text;
using CrampSense.Bridge.Tests.Infrastructure;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;
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

    private static string StatusWith(string field, string number) =>
        TestMessages.Json(TestMessages.Status("pi-01", 1)).Replace(field == "cramps_today" ? "\"cramps_today\":3" : "\"pending\":7", $"\"{field}\":{number}", StringComparison.Ordinal);

    [Theory]
    [InlineData("cramps_today", "1.0", 1)]
    [InlineData("cramps_today", "1E2", 100)]
    [InlineData("cramps_today", "2.5e1", 25)]
    [InlineData("cramps_today", "2147483647", 2147483647)]
    [InlineData("pending", "7.000", 7)]
    [InlineData("pending", "9007199254740991", 9007199254740991)]
    [InlineData("pending", "1e15", 1_000_000_000_000_000)]
    public void Validate_IntegerWrittenInAnotherWholeNotation_IsValidWithItsValue(string field, string number, long expected)
    {
        var result = Validate("crampsense/v1/pi-01/status", StatusWith(field, number));

        Assert.True(result.IsValid, result.Reason);
        var status = (StatusMessage)result.Message!;
        Assert.Equal(expected, field == "cramps_today" ? status.CrampsToday!.Value : status.Outbox!.Pending);
    }

    [Theory]
    [InlineData("cramps_today", "1e10")]
    [InlineData("cramps_today", "3000000000")]
    [InlineData("cramps_today", "2147483648")]
    [InlineData("cramps_today", "1e400")]
    [InlineData("cramps_today", "1.5")]
    [InlineData("cramps_today", "-1")]
    [InlineData("pending", "1e400")]
    [InlineData("pending", "9007199254740992")]
    [InlineData("pending", "9223372036854775808")]
    [InlineData("pending", "0.5")]
    public void Validate_IntegerNotWholeOrBeyondItsRange_IsInvalidNamingTheField(string field, string number)
    {
        var result = Validate("crampsense/v1/pi-01/status", StatusWith(field, number));

        Assert.False(result.IsValid);
        Assert.Contains(field == "cramps_today" ? "/cramps_today" : "/outbox/pending", result.Reason);
    }

    [Fact]
    public void Validate_IntegerForms_TheValidatorAndTheReferenceSchemaAgreeAndNothingThrows()
    {
        // The verdict (quick check, JsonSchema.Net, C# types together) must be JsonSchema.Net's alone, for every
        // notation of every integer field: the three agree on what an integer is (ContractInteger).
        string[] numbers =
        [
            "0", "-0", "0.0", "1", "1.0", "1E2", "1e+2", "1e-2", "1e-400", "1.0000000000000000001", "0.99999999999999999999", "1e10", "1e15", "1e16",
            "2147483647", "2147483648", "3000000000", "9007199254740991", "9007199254740991.4", "9007199254740992", "9007199254740993",
            "9223372036854775807", "9223372036854775808", "1e300", "1e400", "-1e400", "-1", "1.5", "-0.0", "123456789012345678901234567890",
        ];
        var reference = ContractPayloadValidator.ReferenceSchema(SchemaNames.Status);
        var compared = 0;
        var disagreements = new List<string>();
        foreach (var field in new[] { "cramps_today", "pending" })
        {
            foreach (var number in numbers)
            {
                var json = StatusWith(field, number);
                using var document = System.Text.Json.JsonDocument.Parse(json);
                var expected = reference.Evaluate(document.RootElement).IsValid;

                var result = Validate("crampsense/v1/pi-01/status", json);

                if (expected != result.IsValid)
                {
                    disagreements.Add($"{field} = {number}: schema says {expected}, the validator {result.IsValid} ({result.Reason})");
                }

                compared++;
            }
        }

        Assert.Empty(disagreements);
        Assert.Equal(2 * numbers.Length, compared);
    }

    [Fact]
    public void Validate_InvalidUtf8InsideAString_IsInvalidWithTheOffset()
    {
        var bytes = Encoding.UTF8.GetBytes(TestMessages.Json(TestMessages.Started("pi-01", 1)).Replace("m-2026.11", "m-2026@11", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)'@');
        bytes[at] = 0xC3;

        var result = Validator.Validate("crampsense/v1/pi-01/event", new ReadOnlySequence<byte>(bytes));

        Assert.Equal($"payload is not UTF-8: invalid byte sequence at byte {at}.", result.Reason);
    }

    [Fact]
    public void Validate_EscapedLoneSurrogateInAString_IsInvalid()
    {
        var json = TestMessages.Json(TestMessages.Started("pi-01", 1)).Replace("m-2026.11", "m-\\udc00", StringComparison.Ordinal);

        var result = Validate("crampsense/v1/pi-01/event", json);

        Assert.StartsWith("payload has a string that is not valid Unicode", result.Reason);
    }

    [Theory]
    [InlineData("calf\\\\")]
    [InlineData("ca,lf")]
    [InlineData("ca lf")]
    [InlineData("Calf")]
    [InlineData("")]
    public void Validate_SiteOutsideTheSitePattern_IsInvalidNamingSite(string site)
    {
        var json = TestMessages.Json(TestMessages.Started("pi-01", 1)).Replace("\"site\":\"calf\"", $"\"site\":\"{site}\"", StringComparison.Ordinal);

        var result = Validate("crampsense/v1/pi-01/event", json);

        Assert.False(result.IsValid);
        Assert.Contains("/site", result.Reason);
    }
}
