using Xunit;

namespace CrampSense.Wearable.Tests;

public sealed class DetectorFilesTests
{
    private static Stream? ShippedModel() => typeof(DetectorFilesTests).Assembly.GetManifestResourceStream(DetectorFiles.EmbeddedModelName);

    [Fact]
    public void LoadModel_NoPath_LoadsTheBuiltInModel()
    {
        var model = DetectorFiles.LoadModel(null, "--model", ShippedModel);

        Assert.False(string.IsNullOrEmpty(model.Version));
    }

    [Fact]
    public void LoadModel_AFileOfTheShippedModel_LoadsItUnderTheFilesName()
    {
        var path = TempFile("night-adapted.zip");
        using (var file = File.Create(path))
        {
            ShippedModel()!.CopyTo(file);
        }

        var model = DetectorFiles.LoadModel(path, "--model", () => null);

        Assert.Contains("night-adapted", model.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadModel_NoPathAndNoBuiltInModel_FailsNamingTheSetting()
    {
        var e = Assert.Throws<DetectorFileException>(() => DetectorFiles.LoadModel(null, "Detection:ModelPath", () => null));

        Assert.StartsWith("Detection:ModelPath: no model is built into this program", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadModel_MissingFile_FailsNamingTheSettingAndThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "crampsense-missing-" + Guid.NewGuid().ToString("N"), "model.zip");

        var e = Assert.Throws<DetectorFileException>(() => DetectorFiles.LoadModel(path, "--model", ShippedModel));

        Assert.Equal($"--model: model file '{path}' not found.", e.Message);
    }

    [Fact]
    public void LoadModel_CorruptFile_FailsNamingTheSettingThePathAndWhy()
    {
        var path = TempFile("corrupt.zip");
        File.WriteAllText(path, "PK\u0003\u0004 not a zip");

        var e = Assert.Throws<DetectorFileException>(() => DetectorFiles.LoadModel(path, "Detection:ModelPath", ShippedModel));

        Assert.StartsWith($"Detection:ModelPath: '{path}' is not a CrampSense model: ", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void LoadProfile_NoPath_IsNoProfile() => Assert.Null(DetectorFiles.LoadProfile(null, "--profile"));

    [Fact]
    public void LoadProfile_MalformedJson_FailsNamingTheSettingThePathAndTheLine()
    {
        var path = TempFile("profile.json");
        File.WriteAllText(path, "{\n  \"sites\": {\n  ]\n");

        var e = Assert.Throws<DetectorFileException>(() => DetectorFiles.LoadProfile(path, "Detection:ProfilePath"));

        Assert.StartsWith($"Detection:ProfilePath: {path}: not valid JSON at line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadProfile_MissingFile_FailsNamingTheSettingAndThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "crampsense-missing-" + Guid.NewGuid().ToString("N") + ".json");

        var e = Assert.Throws<DetectorFileException>(() => DetectorFiles.LoadProfile(path, "--profile"));

        Assert.Equal($"--profile: profile file '{path}' not found.", e.Message);
    }

    private static string TempFile(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "crampsense-detector-files-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
