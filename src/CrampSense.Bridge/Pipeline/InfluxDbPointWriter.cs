using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Mapping;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;

namespace CrampSense.Bridge.Pipeline;

/// <summary><see cref="IInfluxPointWriter"/> over InfluxDB.Client's <c>/api/v2/write</c> (InfluxDB 2.x, VictoriaMetrics, InfluxDB 1.8+).</summary>
public sealed class InfluxDbPointWriter : IInfluxPointWriter
{
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _api;
    private readonly string _bucket;
    private readonly string _org;

    /// <summary>A client for <c>InfluxDB:*</c> of <paramref name="options"/>.</summary>
    public InfluxDbPointWriter(BridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.InfluxBucket;
        _org = options.InfluxOrg;
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.InfluxUrl.ToString())
        {
            Token = options.InfluxToken,
            Org = options.InfluxOrg,
            Bucket = options.InfluxBucket,
            Timeout = options.InfluxTimeout,
        });
        _api = _client.GetWriteApiAsync();
    }

    /// <inheritdoc/>
    public async Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        try
        {
            if (lines.Count == 1)
            {
                await _api.WriteRecordAsync(lines[0], InfluxPointMapper.Precision, _bucket, _org, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                List<string> records = lines as List<string> ?? [.. lines];
                await _api.WriteRecordsAsync(records, InfluxPointMapper.Precision, _bucket, _org, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpException ex) when (ex.Status is 400 or 422)
        {
            throw new InfluxPointsRefusedException(ex.Status, ex.Message, ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
