namespace CrampSense.Bridge.Pipeline;

/// <summary>
/// The bridge's write side: stores lines of line protocol (<see cref="Mapping.InfluxPointMapper.Precision"/>) in one
/// request. <see cref="InfluxDbPointWriter"/> posts them to <c>/api/v2/write</c>; a test passes a fake to check the
/// batching and acknowledgement rules without a database.
/// </summary>
public interface IInfluxPointWriter : IDisposable
{
    /// <summary>Writes <paramref name="lines"/>; returns once the database accepted all of them.</summary>
    /// <exception cref="InfluxPointsRefusedException">The database refuses some line for good (retrying cannot help).</exception>
    /// <exception cref="Exception">Any other failure is transient: the caller retries after a back-off.</exception>
    Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken);
}

/// <summary>The database refused a write for good (InfluxDB answers 400 or 422, e.g. a field type conflict).</summary>
public sealed class InfluxPointsRefusedException : Exception
{
    /// <summary>Creates the exception with the HTTP status the database answered.</summary>
    public InfluxPointsRefusedException(int status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The HTTP status (400 or 422).</summary>
    public int Status { get; }
}
