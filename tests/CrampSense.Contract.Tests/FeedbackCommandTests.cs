using System.Text;
using System.Text.Json;
using Xunit;

namespace CrampSense.Contract.Tests;

/// <summary>The feedback command reader: what it accepts, what it refuses and why, and that it agrees with the schema.</summary>
public sealed class FeedbackCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> ValidCommands() =>
    [
        """{"schema":"crampsense.feedback.v1","id":"c-1","time":"2026-12-03T02:00:00.000Z","device":"pi-01","command":"confirm","event_id":"pi-01:calf:cramp:12500"}""",
        """{"schema":"crampsense.feedback.v1","id":"c-2","time":"2026-12-03T03:00:00.123456+01:00","device":"pi-01","command":"reject","event_id":"last","site":"calf"}""",
        """{"schema":"crampsense.feedback.v1","id":"c-3","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now"}""",
        """{"schema":"crampsense.feedback.v1","id":"c-4","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_at","at":"2026-12-03T01:58:00Z","site":"calf"}""",
        """{"schema":"crampsense.feedback.v1","id":"c-5","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"exercising","until":"2026-12-03T03:00:00Z"}""",
        """{"schema":"crampsense.feedback.v1","id":"c-6","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"snooze","until":"2026-12-03T07:00:00+01:00"}""",
    ];

    [Theory]
    [MemberData(nameof(ValidCommands))]
    public void TryParse_ValidCommand_IsReadAndMatchesTheSchema(string json)
    {
        var ok = FeedbackCommand.TryParse(Encoding.UTF8.GetBytes(json), "pi-01", Now, out var command, out var reason, out var id, out var name);

        Assert.True(ok, reason);
        Assert.Equal((id, name), (command!.Id, command.Command));
        Assert.Empty(SchemaValidator.Errors(json));
    }

    [Fact]
    public void TryParse_CrampAt_ReadsTheTimeWithItsOffset()
    {
        var json = """{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_at","at":"2026-12-03T02:58:00+01:00","site":"shin"}""";

        Assert.True(FeedbackCommand.TryParse(Encoding.UTF8.GetBytes(json), "pi-01", Now, out var command, out _, out _, out _));
        Assert.Equal(Now.AddMinutes(-2), command!.At);
        Assert.Equal("shin", command.Site);
    }

    [Theory]
    [InlineData("{\"schema\":", "payload: not JSON", false)]
    [InlineData("[1]", "payload: not a JSON object", false)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"confirm"}""", "event_id: missing", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-02","command":"reject","event_id":"last"}""", "device: 'pi-02' is not this device", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"reboot"}""", "command: 'reboot' is not one of", false)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"snooze","until":"2026-12-05T02:00:00Z"}""", "until: 2026-12-05T02:00:00.000Z is more than 24 h ahead", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"exercising","until":"2026-12-03T01:00:00Z"}""", "until: 2026-12-03T01:00:00.000Z is not in the future", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_at","at":"2026-12-03T02:10:00Z","site":"calf"}""", "at: 2026-12-03T02:10:00.000Z is in the future", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_at","at":"2026-11-30T02:00:00Z","site":"calf"}""", "at: 2026-11-30T02:00:00.000Z is more than 24 h in the past", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_at","at":"2026-12-03T01:59:00Z"}""", "site: missing", true)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now","site":"Calf Left"}""", "site: 'Calf Left' is not a site name", false)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03","device":"pi-01","command":"cramp_now"}""", "time: '2026-12-03' is not an ISO-8601 time", false)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now","extra":"x"}""", "extra: not a field of crampsense.feedback.v1", false)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now","site":3}""", "site: must be a string", false)]
    [InlineData("""{"schema":"crampsense.feedback.v1","id":"with space","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now"}""", "id: must be 1–200 printable ASCII", false)]
    [InlineData("""{"schema":"crampsense.event.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now"}""", "schema: 'crampsense.event.v1' is not crampsense.feedback.v1", false)]
    public void TryParse_InvalidCommand_IsRefusedWithAReasonNamingTheField(string json, string reason, bool schemaAccepts)
    {
        var ok = FeedbackCommand.TryParse(Encoding.UTF8.GetBytes(json), "pi-01", Now, out var command, out var why, out _, out _);

        Assert.False(ok);
        Assert.Null(command);
        Assert.StartsWith(reason, why, StringComparison.Ordinal);
        if (json.StartsWith('{') && json.EndsWith('}'))
        {
            // The schema cannot see the topic's device, the command's needs or the clock: those only the reader refuses.
            Assert.Equal(schemaAccepts, SchemaValidator.Errors(SchemaNames.Feedback, json).Count == 0);
        }
    }

    [Fact]
    public void TryParse_OversizedPayload_IsRefusedBeforeItIsParsed()
    {
        var json = """{"schema":"crampsense.feedback.v1","id":"c","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"cramp_now","site":"calf"}""";
        var payload = Encoding.UTF8.GetBytes(json + new string(' ', FeedbackCommand.MaxBytes));

        Assert.False(FeedbackCommand.TryParse(payload, "pi-01", Now, out _, out var reason, out var id, out _));
        Assert.Equal($"payload: {payload.Length} bytes is over the limit of {FeedbackCommand.MaxBytes}", reason);
        Assert.Null(id);
    }

    [Fact]
    public void TryParse_RefusedCommand_StillGivesTheIdAndCommandItCouldRead()
    {
        var json = """{"schema":"crampsense.feedback.v1","id":"c-9","time":"2026-12-03T02:00:00Z","device":"pi-01","command":"reject"}""";

        Assert.False(FeedbackCommand.TryParse(Encoding.UTF8.GetBytes(json), "pi-01", Now, out _, out _, out var id, out var name));
        Assert.Equal(("c-9", "reject"), (id, name));
    }

    [Fact]
    public void Quote_InvalidUtf8AndLongPayload_IsCutAndReadable()
    {
        var payload = new byte[] { 0x7b, 0xff, 0xfe }.Concat(Enumerable.Repeat((byte)'a', 5000)).ToArray();

        var quoted = FeedbackCommand.Quote(payload);

        Assert.Equal(FeedbackResultMessage.PayloadMaxLength, quoted.Length);
        Assert.StartsWith("{\uFFFD", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void FeedbackResult_Refusal_MatchesItsSchema()
    {
        var result = new FeedbackResultMessage
        {
            Id = "r-1", Time = ContractTime.Format(Now), Device = "pi-01", Outcome = FeedbackResultMessage.Refused,
            CommandId = "c-1", Command = FeedbackCommands.Reject, Reason = "event_id: unknown", Payload = "{\"x\":1}",
        };

        Assert.Empty(SchemaValidator.Errors(JsonSerializer.Serialize(result, ContractJsonContext.Default.FeedbackResultMessage)));
    }

    [Fact]
    public void Topics_Feedback_AreBelowTheDevice()
    {
        var topics = new ContractTopics("pi-01");

        Assert.Equal(("crampsense/v1/pi-01/feedback", "crampsense/v1/pi-01/feedback/result"), (topics.Feedback, topics.FeedbackResult));
    }
}
