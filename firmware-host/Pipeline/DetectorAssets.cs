using System.Reflection;
using CrampSense.Detection.Calibration;
using CrampSense.Detection.Model;
using CrampSense.FirmwareHost.Configuration;
using CrampSense.Wearable;

namespace CrampSense.FirmwareHost.Pipeline;

/// <summary>
/// The model and the wearer's profile the service detects with, loaded once before the host starts
/// (<c>Detection:ModelPath</c>, else the model built into the host; <c>Detection:ProfilePath</c>), so a bad file is a
/// configuration error naming its key rather than a failure of the running pipeline.
/// </summary>
public sealed record DetectorAssets(CrampModel Model, PersonalProfile? Profile)
{
    /// <summary>Loads what <paramref name="options"/> names.</summary>
    /// <exception cref="DetectorFileException">A file is missing, unreadable or malformed; the message names the key.</exception>
    public static DetectorAssets Load(CrampSenseHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = DetectorFiles.LoadModel(
            options.ModelPath,
            "Detection:ModelPath",
            () => Assembly.GetExecutingAssembly().GetManifestResourceStream(DetectorFiles.EmbeddedModelName));
        return new DetectorAssets(model, DetectorFiles.LoadProfile(options.ProfilePath, "Detection:ProfilePath"));
    }
}
