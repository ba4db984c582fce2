using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrampSense.Bridge.Configuration;
using CrampSense.Bridge.Mapping;

namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// <see cref="IInfluxPointWriter"/> over <c>/api/v2/write</c> (InfluxDB 2.x, VictoriaMetrics, InfluxDB 1.8+): the lines
/// as one UTF-8 body in a pooled buffer, posted with <see cref="HttpClient"/>, for a batch and a single line alike.
/// </summary>
/// <remarks>
/// Why not InfluxDB.Client's write API: <c>WriteRecordsAsync</c> joins the lines into one string (2 bytes a
/// character, 1.7 MB for a batch of 2 500 cramp events) and its REST layer encodes a UTF-8 copy of it: two objects on
/// the large-object heap per batch, which drove a gen2 collection every ~4 s at 20 k messages/s (docs/measurements.md,
/// session 10). Here each line is encoded straight into a buffer rented from the shared pool and returned after the
/// request. The request is the client's (same endpoint, query, <c>Authorization: Token</c> header, status handling).
/// A single line (the one-by-one retry that isolates a refused point) takes the same path: one HTTP stack and one
/// connection pool to the database, and one reading of its refusals.
/// </remarks>
public sealed class InfluxDbPointWriter : IInfluxPointWriter
{
    private static readonly MediaTypeHeaderValue LineProtocol = new("text/plain") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _writeUri;

    /// <summary>A client for <c>InfluxDB:*</c> of <paramref name="options"/>.</summary>
    public InfluxDbPointWriter(BridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = new HttpClient { Timeout = options.InfluxTimeout };
        if (options.InfluxToken.Length > 0)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.InfluxToken);
        }

        var precision = InfluxPointMapper.Precision.ToString().ToLowerInvariant();
        _writeUri = new Uri($"{options.InfluxUrl.ToString().TrimEnd('/')}/api/v2/write?org={Uri.EscapeDataString(options.InfluxOrg)}&bucket={Uri.EscapeDataString(options.InfluxBucket)}&precision={precision}");
    }

    /// <inheritdoc/>
    public async Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var length = 0;
        foreach (var line in lines)
        {
            length += Encoding.UTF8.GetByteCount(line) + 1;
        }

        var body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = 0;
            foreach (var line in lines)
            {
                written += Encoding.UTF8.GetBytes(line, body.AsSpan(written));
                body[written++] = (byte)'\n';
            }

            using var content = new ByteArrayContent(body, 0, written);
            content.Headers.ContentType = LineProtocol;
            using var response = await _http.PostAsync(_writeUri, content, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var message = ErrorMessage(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), response.StatusCode);
            if (status is 400 or 422)
            {
                throw new InfluxPointsRefusedException(status, message);
            }

            throw new HttpRequestException($"{_writeUri.GetLeftPart(UriPartial.Path)} answered {status}: {message}", null, response.StatusCode);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>The database's error text: the <c>message</c> (InfluxDB 2.x) or <c>error</c> (1.x) of a JSON body, else the body.</summary>
    private static string ErrorMessage(string body, HttpStatusCode status)
    {
        if (body.Length == 0)
        {
            return status.ToString();
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var name in (string[])["message", "error"])
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                {
                    return text.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }

        return body.Trim();
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
