namespace CrampSense.Sensors.Faults;

/// <summary>Which exceptions mean "the bus or chip failed" (to be reported and retried) rather than a bug.</summary>
internal static class BusExceptions
{
    /// <summary>
    /// True for what the Linux bus drivers and the dotnet/iot bindings throw on a failed transfer: IOException
    /// (ENXIO/EREMOTEIO from i2c-dev, a failed SPI ioctl), InvalidOperationException (Mcp3Base's null-bit check,
    /// a 1-Wire CRC mismatch), TimeoutException and UnauthorizedAccessException (no access to /dev/…). The
    /// MCP9808 binding throws a bare <see cref="Exception"/> when the manufacturer id is wrong, hence the exact-type test.
    /// </summary>
    public static bool IsBusFault(Exception exception) =>
        exception is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException
        || exception.GetType() == typeof(Exception);

    /// <summary>Classifies a bus exception; a bare Exception from a binding constructor means the chip did not identify itself.</summary>
    public static SensorFaultKind Classify(Exception exception) => exception switch
    {
        InvalidDataException => SensorFaultKind.ChecksumError,
        ChipIdentityException => SensorFaultKind.ChipMissing,
        _ when exception.GetType() == typeof(Exception) => SensorFaultKind.ChipMissing,
        _ when exception.Message.Contains("signature", StringComparison.OrdinalIgnoreCase) => SensorFaultKind.ChipMissing,

        // Mpu9250 wraps the AK8963's "wrong signature" IOException in another IOException.
        { InnerException: { } inner } when IsBusFault(inner) => Classify(inner),
        _ => SensorFaultKind.BusError,
    };
}

/// <summary>Thrown when a chip answers but does not identify as the configured part.</summary>
public sealed class ChipIdentityException : IOException
{
    public ChipIdentityException()
    {
    }

    public ChipIdentityException(string message)
        : base(message)
    {
    }

    public ChipIdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
