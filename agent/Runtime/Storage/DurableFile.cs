using System.Runtime.InteropServices;
using System.Text;

namespace Mizan.Agent.Runtime.Storage;

/// <summary>
/// Replaces a file so that, even after a power loss, it holds the old content or the new, never a mix or nothing:
/// the new content is written and fsynced beside it, renamed over it, and the directory is fsynced so that the
/// rename itself is on disk.
/// </summary>
public static partial class DurableFile
{
    // Not O_DIRECTORY: its value differs between x64 and arm64, and a read-only open of a directory works without it.
    private const int ReadOnlyCloseOnExec = 0x80000;

    public static async Task ReplaceAsync(string path, string content, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(path);
        Directory.CreateDirectory(directory);
        var temporary = $"{path}.mizan-tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
            await stream.FlushAsync(cancellationToken);
#pragma warning disable CA1849 // fsync has no async form; the files written here are small.
            stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory(directory);
    }

    /// <summary>Removes a file and makes the removal durable.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        SyncDirectory(DirectoryOf(path));
    }

    /// <summary>
    /// fsync(2) of a directory, which makes the names created, renamed or removed in it durable. .NET does not open a
    /// directory as a file, so this calls libc's open, fsync and close.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be opened (it is missing, say) or the fsync failed.</exception>
    public static void SyncDirectory(string directory)
    {
        var descriptor = Open(directory, ReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open the directory {directory} to fsync it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync of the directory {directory} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
