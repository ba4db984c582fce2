using System.Text.Json;
using Xunit;

namespace CrampSense.Contract.Tests;

/// <summary>The contract's integer fields read any whole-number notation and refuse the rest with a JsonException naming the text.</summary>
public sealed class ContractIntegerTests
{
    private const string Status = """{"schema":"crampsense.status.v1","id":"s","time":"2026-11-26T02:00:00.000Z","device":"pi-01","state":"online","cramps_today":CRAMPS,"outbox":{"pending":PENDING,"pending_bytes":0,"dropped_telemetry":0,"dropped_fault":0,"dropped_event":0,"dropped_prompt":0,"rejected":0}}""";

    private static StatusMessage Read(string cramps, string pending) =>
        JsonSerializer.Deserialize(Status.Replace("CRAMPS", cramps, StringComparison.Ordinal).Replace("PENDING", pending, StringComparison.Ordinal), ContractJsonContext.Default.StatusMessage)!;

    [Theory]
    [InlineData("3", 3)]
    [InlineData("3.0", 3)]
    [InlineData("3E0", 3)]
    [InlineData("0.3e1", 3)]
    [InlineData("-0", 0)]
    public void Read_WholeNumberInAnyNotation_GivesItsValue(string number, int expected)
    {
        var status = Read(number, number);

        Assert.Equal(expected, status.CrampsToday);
        Assert.Equal(expected, status.Outbox!.Pending);
    }

    [Theory]
    [InlineData("1.5", "0")]
    [InlineData("3000000000", "0")]
    [InlineData("1e400", "0")]
    [InlineData("0", "9007199254740992")]
    [InlineData("0", "1e400")]
    [InlineData("0", "0.25")]
    public void Read_NotWholeOrBeyondTheType_ThrowsNamingTheText(string cramps, string pending)
    {
        var ex = Assert.Throws<JsonException>(() => Read(cramps, pending));

        Assert.Contains(cramps == "0" ? $"'{pending}'" : $"'{cramps}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not a whole number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Integers_ArePlainLiterals()
    {
        var json = JsonSerializer.Serialize(Read("1E2", "7.0"), ContractJsonContext.Default.StatusMessage);

        Assert.Contains("\"cramps_today\":100", json, StringComparison.Ordinal);
        Assert.Contains("\"pending\":7,", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, true)]
    [InlineData(9007199254740991d, true)]
    [InlineData(9007199254740992d, false)]
    [InlineData(0.5, false)]
    [InlineData(double.PositiveInfinity, false)]
    [InlineData(double.NaN, false)]
    public void TryGetValue_Double_IsTrueOnlyForWholeNumbersWithinTheSafeRange(double number, bool expected)
    {
        Assert.Equal(expected, ContractInteger.TryGetValue(number, out _));
    }
}
