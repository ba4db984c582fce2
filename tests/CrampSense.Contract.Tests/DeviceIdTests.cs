using Xunit;

namespace CrampSense.Contract.Tests;

public sealed class DeviceIdTests
{
    [Theory]
    [InlineData("pi-01")]
    [InlineData("a")]
    [InlineData("0123456789abcdefghijklmnopqrstuv")]
    public void IsValid_LowerCaseDigitsDashesUpTo32_True(string id) => Assert.True(DeviceId.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData("Pi-01")]
    [InlineData("pi/01")]
    [InlineData("pi+")]
    [InlineData("pi#")]
    [InlineData("pi 01")]
    [InlineData("pi_01")]
    [InlineData("pi\u000001")]
    [InlineData("0123456789abcdefghijklmnopqrstuvw")]
    public void IsValid_TopicInjectionOrTooLong_False(string id) => Assert.False(DeviceId.IsValid(id));

    [Fact]
    public void ThrowIfInvalid_WithWildcard_NamesTheKeyAndTheRule()
    {
        var ex = Assert.Throws<ArgumentException>(() => DeviceId.ThrowIfInvalid("pi/#", "Device:Id"));
        Assert.Equal("Device:Id", ex.ParamName);
        Assert.Contains("Device:Id", ex.Message);
        Assert.Contains("a–z, 0–9 and '-'", ex.Message);
    }

    [Fact]
    public void ContractTopics_ForDevice_AreUnderTheVersionedRoot()
    {
        var topics = new ContractTopics("pi-01");
        Assert.Equal("crampsense/v1/pi-01/status", topics.Status);
        Assert.Equal("crampsense/v1/pi-01/event", topics.Event);
        Assert.Equal("crampsense/v1/pi-01/prompt", topics.Prompt);
        Assert.Equal("crampsense/v1/pi-01/telemetry", topics.Telemetry);
        Assert.Equal("crampsense/v1/pi-01/fault", topics.Fault);
        Assert.Equal("homeassistant/device/pi-01/config", topics.HomeAssistantDiscovery);
        Assert.Throws<ArgumentException>(() => new ContractTopics("x/+/y"));
    }
}
