using Xunit;

namespace CrampSense.Contract.Tests;

/// <summary>The contract's one time format, written and read back, and the looser form a command may carry.</summary>
public sealed class ContractTimeTests
{
    [Fact]
    public void Format_IsUtcWithMilliseconds()
    {
        var local = new DateTimeOffset(2026, 3, 1, 10, 0, 0, 5, TimeSpan.FromHours(2));
        Assert.Equal("2026-03-01T08:00:00.005Z", ContractTime.Format(local));
    }

    [Theory]
    [InlineData(2026, 11, 26, 14, 0, 0, 123)]
    [InlineData(2024, 2, 29, 23, 59, 59, 999)]
    [InlineData(2026, 1, 1, 0, 0, 0, 0)]
    public void TryParse_WhatFormatWrote_GivesTheSameInstant(int year, int month, int day, int hour, int minute, int second, int ms)
    {
        var time = new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero);

        Assert.True(ContractTime.TryParse(ContractTime.Format(time), out var parsed));
        Assert.Equal(time, parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-11-26T14:00:00Z")]
    [InlineData("2026-11-26T14:00:00.12Z")]
    [InlineData("2026-11-26T14:00:00.1234567Z")]
    [InlineData("2026-11-26T14:00:00.123+00:00")]
    [InlineData("2026-11-26T14:00:00.123")]
    [InlineData("2026-11-26 14:00:00.123Z")]
    [InlineData("2026-02-30T14:00:00.123Z")]
    [InlineData("26.11.2026 14:00:00")]
    public void TryParse_AnyOtherSpelling_IsRefused(string? text)
    {
        Assert.False(ContractTime.TryParse(text, out _));
    }

    [Theory]
    [InlineData("2026-11-26T14:00:00Z", "2026-11-26T14:00:00.000Z")]
    [InlineData("2026-11-26T14:00:00.123Z", "2026-11-26T14:00:00.123Z")]
    [InlineData("2026-11-26T15:00:00.1234567+01:00", "2026-11-26T14:00:00.123Z")]
    [InlineData("2026-11-26T09:30:00-04:30", "2026-11-26T14:00:00.000Z")]
    public void TryParseCommandTime_IsoWithZoneOrOffset_GivesTheInstant(string text, string contractTime)
    {
        Assert.True(ContractTime.TryParseCommandTime(text, out var parsed));
        Assert.Equal(contractTime, ContractTime.Format(parsed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-11-26")]
    [InlineData("2026-11-26T14:00:00")]
    [InlineData("2026-11-26T14:00:00.12345678Z")]
    [InlineData("2026-11-26 14:00:00Z")]
    [InlineData("2026-13-26T14:00:00Z")]
    [InlineData("11/26/2026 14:00:00 +00:00")]
    [InlineData(" 2026-11-26T14:00:00Z")]
    public void TryParseCommandTime_NoZoneOrNotIso_IsRefused(string? text)
    {
        Assert.False(ContractTime.TryParseCommandTime(text, out _));
    }
}
