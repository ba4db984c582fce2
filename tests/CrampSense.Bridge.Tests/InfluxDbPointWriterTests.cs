using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Pipeline;
using CrampSense.Bridge.Tests.Infrastructure;
using Xunit;

namespace CrampSense.Bridge.Tests;

public sealed class InfluxDbPointWriterTests
{
    // 2026-11-26T02:00:00.000Z in Unix ms.
    private const long StartMs = 1_795_658_400_000;

    private static BridgeOptions Options(Uri url, string bucket) =>
        BridgeSettings.Options(new Dictionary<string, string?>(BridgeSettings.For(1883, url, "writer-test", "writer-test"))
        {
            ["InfluxDB:Bucket"] = bucket,
        });

    [Fact]
    public async Task WriteAsync_Batch_StoresEveryLineWithItsNonAsciiTagInVictoriaMetricsBehindAUrlWithATrailingSlash()
    {
        // The body is UTF-8 encoded line by line into a pooled buffer: every line, its separator and a multi-byte tag
        // value must arrive whole (3 000 lines, more than a default batch). A Uri's text ends with '/', which the write path
        // must not double.
        var ct = TestContext.Current.CancellationToken;
        await using var victoria = await VictoriaMetricsServer.CreateAsync(start: true, ct);
        var lines = Enumerable.Range(0, 3000).Select(i => $"telemetry,device=pi-writer,site=wade-ä–{i % 3} envelope_uv={i} {StartMs + i}").ToList();

        using (var writer = new InfluxDbPointWriter(Options(victoria.Url, "crampsense")))
        {
            await writer.WriteAsync(lines, ct);
        }

        var stored = (await victoria.ExportAsync("telemetry", ct)).Where(s => s.Tag("device") == "pi-writer").ToList();
        Assert.Equal(
            Enumerable.Range(0, 3000).Select(i => (StartMs + i, (double)i, $"wade-ä–{i % 3}")),
            stored.OrderBy(s => s.TimestampMilliseconds).Select(s => (s.TimestampMilliseconds, s.Value, s.Tag("site"))));
    }

    [Fact]
    public async Task WriteAsync_NothingListening_ThrowsATransientError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var writer = new InfluxDbPointWriter(Options(new Uri($"http://127.0.0.1:{MosquittoBroker.FreePort()}"), "crampsense"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => writer.WriteAsync([$"telemetry,device=pi-01 envelope_uv=1 {StartMs}", $"telemetry,device=pi-01 envelope_uv=2 {StartMs + 1}"], ct));

        Assert.IsNotType<InfluxPointsRefusedException>(error);
    }
}
