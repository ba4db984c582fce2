using System.Reflection;
using CrampSense.Detection.Model;

namespace CrampSense.Cli.Detection;

/// <summary>Where the detector's model comes from: a file given with <c>--model</c>, or the default embedded in the tool.</summary>
internal static class ModelFiles
{
    /// <summary>Logical name of the embedded default model (models/crampsense-detector.zip).</summary>
    public const string EmbeddedName = "crampsense-detector.zip";

    /// <summary>Loads <paramref name="path"/>, or the embedded default when null.</summary>
    public static CrampModel Load(string? path)
    {
        if (path is null)
        {
            using var embedded = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
                ?? throw new CliInputException("no model embedded in this build; give one with --model");
            return CrampModel.Load(embedded);
        }

        if (!File.Exists(path))
        {
            throw new CliInputException($"--model: file '{path}' not found");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return CrampModel.Load(stream, Path.GetFileNameWithoutExtension(path));
        }
        catch (InvalidDataException e)
        {
            throw new CliInputException($"--model: '{path}' is not a CrampSense model: {e.Message}", e);
        }
    }

    /// <summary>The bytes of the model (for one engine per worker thread).</summary>
    public static byte[] ReadBytes(string? path)
    {
        if (path is null)
        {
            using var embedded = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
                ?? throw new CliInputException("no model embedded in this build; give one with --model");
            using var buffer = new MemoryStream();
            embedded.CopyTo(buffer);
            return buffer.ToArray();
        }

        return File.Exists(path) ? File.ReadAllBytes(path) : throw new CliInputException($"--model: file '{path}' not found");
    }
}
