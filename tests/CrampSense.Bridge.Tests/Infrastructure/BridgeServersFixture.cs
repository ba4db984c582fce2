using Xunit;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>A real mosquitto (persistence on, so sessions survive its restart) and a real VictoriaMetrics for a test class.</summary>
public sealed class BridgeServersFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;
    private VictoriaMetricsServer? _database;
    private Exception? _skipped;

    public MosquittoBroker Broker => Started()._broker!;

    public VictoriaMetricsServer Database => Started()._database!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            _broker = await MosquittoBroker.StartAsync(CancellationToken.None, persistence: true);
            _database = await VictoriaMetricsServer.CreateAsync(start: true, CancellationToken.None);
        }
        catch (Exception e) when (e.Message.StartsWith("$XunitDynamicSkip$", StringComparison.Ordinal))
        {
            // A skip thrown from a fixture would count as a failure, so it is handed to each test.
            _skipped = e;
        }
    }

    private BridgeServersFixture Started()
    {
        if (_skipped is not null)
        {
            Assert.Skip(_skipped.Message.Replace("$XunitDynamicSkip$", string.Empty, StringComparison.Ordinal));
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
