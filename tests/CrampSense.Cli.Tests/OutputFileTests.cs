using Xunit;

namespace CrampSense.Cli.Tests;

public sealed class OutputFileTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void WriteText_Succeeds_ReplacesTheFileWithLfLinesAndNoByteOrderMark()
    {
        var path = _files.Write("out.csv", "old\r\n");

        var result = OutputFile.WriteText(path, text =>
        {
            text.WriteLine("a");
            text.WriteLine("b");
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal("a\nb\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void WriteText_Throws_KeepsTheOldFileAndLeavesNoPartialFile()
    {
        var path = _files.Write("keep.csv", "old\n");

        Assert.Throws<InvalidOperationException>(() => OutputFile.WriteText(path, text =>
        {
            text.WriteLine("half");
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void WriteBytes_WritesExactlyTheBytes()
    {
        var path = Path.Combine(_files.Directory, "m.zip");

        OutputFile.WriteBytes(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }
}
