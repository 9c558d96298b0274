namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>A fresh directory under /tmp (short paths: unix socket paths are limited to 107 bytes), removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Every directory the tests create in /tmp starts with this.</summary>
    public const string Prefix = "mizan-it-";

    public TempDirectory(string purpose)
    {
        Path = Directory.CreateTempSubdirectory($"{Prefix}{purpose}-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string CreateSubdirectory(string name) => Directory.CreateDirectory(Combine(name)).FullName;

    public void Dispose() => DeleteQuietly(Path);

    /// <summary>Removes a directory tree, leaving what cannot be removed (files of another user, still open) to the OS.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Files written by containers as another user, or a process still closing: leave them for the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
