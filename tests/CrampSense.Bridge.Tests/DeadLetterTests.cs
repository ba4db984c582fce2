using System.Buffers;
using System.Text;
using CrampSense.Bridge.Pipeline;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class DeadLetterTests
{
    private static DeadLetter For(byte[] payload, string reason = "bad", string topic = "crampsense/v1/pi-01/event") =>
        DeadLetter.For(reason, topic, new ReadOnlySequence<byte>(payload), "b-1", "2026-11-26T02:00:00.000Z");

    [Fact]
    public void For_SmallTextPayload_KeepsItWhole()
    {
        var letter = For(Encoding.UTF8.GetBytes("{\"id\":1}"));

        Assert.Equal("{\"id\":1}", letter.Payload);
        Assert.Null(letter.PayloadBase64);
        Assert.Equal(8, letter.PayloadBytes);
        Assert.False(letter.Truncated);
    }

    [Fact]
    public void For_LargeTextPayload_KeepsOnlyTheBoundedPrefix()
    {
        var letter = For(Encoding.UTF8.GetBytes(new string('x', 64 * 1024 * 1024)));

        Assert.Equal(new string('x', DeadLetter.MaxPayloadPrefixBytes), letter.Payload);
        Assert.Equal(64 * 1024 * 1024, letter.PayloadBytes);
        Assert.True(letter.Truncated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void For_PrefixEndingInsideAMultiByteCharacter_CutsBeforeThatCharacter(int asciiBeforeIt)
    {
        // "€" is three bytes; placed so that the prefix limit falls inside it.
        var text = new string('a', DeadLetter.MaxPayloadPrefixBytes - asciiBeforeIt) + "€€€€";

        var letter = For(Encoding.UTF8.GetBytes(text));

        Assert.NotNull(letter.Payload);
        Assert.StartsWith(new string('a', DeadLetter.MaxPayloadPrefixBytes - asciiBeforeIt), letter.Payload);
        Assert.True(Encoding.UTF8.GetByteCount(letter.Payload) <= DeadLetter.MaxPayloadPrefixBytes);
        Assert.DoesNotContain('\uFFFD', letter.Payload);
        Assert.True(letter.Truncated);
    }

    [Fact]
    public void For_BinaryPayload_IsABase64PrefixOfIt()
    {
        var payload = Enumerable.Range(0, 10_000).Select(i => (byte)(0x80 | (i % 64))).ToArray();

        var letter = For(payload);

        Assert.Null(letter.Payload);
        var prefix = Convert.FromBase64String(letter.PayloadBase64!);
        Assert.InRange(prefix.Length, DeadLetter.MaxPayloadPrefixBytes - 3, DeadLetter.MaxPayloadPrefixBytes);
        Assert.Equal(payload.AsSpan(0, prefix.Length).ToArray(), prefix);
        Assert.Equal(10_000, letter.PayloadBytes);
    }

    [Fact]
    public void For_HugeTopicAndReason_AreCut()
    {
        var topic = "crampsense/v1/" + new string('t', 60_000);

        var letter = For([1], reason: $"topic '{topic}' is not crampsense/v1/<device>/<kind>.", topic: topic);

        Assert.Equal(DeadLetter.MaxTextLength + 1, letter.Topic.Length);
        Assert.Equal(DeadLetter.MaxTextLength + 1, letter.Reason.Length);
        Assert.EndsWith("…", letter.Reason, StringComparison.Ordinal);
    }
}
