using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Runtime.Storage;

public sealed class DurableFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-durable-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task ReplaceAsync_ExistingFile_HoldsExactlyTheNewContentAndNoTemporaryIsLeft()
    {
        var file = Path.Combine(directory, "web.conf");
        await File.WriteAllTextAsync(file, "upstream web_backend { server 127.0.0.1:18081; }\n");
        const string Content = "upstream web_backend {\n    server 127.0.0.1:18082;\n}\n";

        await DurableFile.ReplaceAsync(file, Content, CancellationToken.None);

        Assert.Equal(Content, await File.ReadAllTextAsync(file));
        Assert.Equal([file], Directory.GetFiles(directory));
    }

    [Fact]
    public async Task ReplaceAsync_DirectoryNotThereYet_CreatesItAndTheFile()
    {
        var file = Path.Combine(directory, "nginx", "mizan", "web.conf");

        await DurableFile.ReplaceAsync(file, "x\n", CancellationToken.None);

        Assert.Equal("x\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public void SyncDirectory_RealDirectory_Succeeds()
    {
        var exception = Record.Exception(() => DurableFile.SyncDirectory(directory));

        Assert.Null(exception);
    }

    [Fact]
    public void SyncDirectory_MissingDirectory_ThrowsIOExceptionNamingIt()
    {
        var missing = Path.Combine(directory, "gone");

        var error = Assert.Throws<IOException>(() => DurableFile.SyncDirectory(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ExistingFile_RemovesIt()
    {
        var file = Path.Combine(directory, "web.conf");
        await File.WriteAllTextAsync(file, "x\n");

        DurableFile.Delete(file);

        Assert.False(File.Exists(file));
    }
}
