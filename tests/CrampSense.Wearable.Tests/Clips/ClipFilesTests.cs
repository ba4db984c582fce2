using CrampSense.Wearable.Clips;
using Xunit;

namespace CrampSense.Wearable.Tests.Clips;

public sealed class ClipFilesTests
{
    [Fact]
    public void IsDiskFull_TheErrorOfAWriteToAFullDevice_IsTrue()
    {
        // /dev/full answers every write with ENOSPC: the error a full SD card gives the clip writer.
        Assert.SkipUnless(File.Exists("/dev/full"), "needs Linux's /dev/full");

        var error = Assert.ThrowsAny<IOException>(() => ClipFiles.WriteDurably("/dev/full", text => text.Write(new string('x', 1 << 17))));

        Assert.True(ClipFiles.IsDiskFull(error), $"{error.GetType().Name} HResult {error.HResult}: {error.Message}");
    }

    [Fact]
    public void IsDiskFull_AMissingFolder_IsFalse()
    {
        var missing = Path.Combine(Path.GetTempPath(), "crampsense-no-such-folder-" + Guid.NewGuid().ToString("N"), "clip.csv");

        var error = Assert.ThrowsAny<IOException>(() => ClipFiles.WriteDurably(missing, text => text.Write("t_s\n")));

        Assert.False(ClipFiles.IsDiskFull(error));
    }
}
