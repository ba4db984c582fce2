using CrampSense.Detection.Model;

namespace CrampSense.Detection.Tests.Model;

/// <summary>The shipped model (models/crampsense-detector.zip, embedded in the test assembly).</summary>
internal static class ShippedModel
{
    private static readonly Lazy<byte[]> s_bytes = new(() =>
    {
        using var stream = typeof(ShippedModel).Assembly.GetManifestResourceStream("crampsense-detector.zip")
            ?? throw new InvalidOperationException("models/crampsense-detector.zip is not embedded in the test assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public static byte[] Bytes => s_bytes.Value;

    public static CrampModel Load() => CrampModel.Load(Bytes);
}
