using System.Formats.Tar;
using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Builds, in memory, the tar of a tiny root filesystem for `docker import`.</summary>
public sealed class RootfsTar
{
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly SortedDictionary<string, Func<TarEntry>> entries = new(StringComparer.Ordinal);

    public RootfsTar Directory(string path)
    {
        var name = Relative(path).TrimEnd('/') + "/";
        entries[name] = () => new PaxTarEntry(TarEntryType.Directory, name) { Mode = Executable | UnixFileMode.UserWrite };
        return this;
    }

    public RootfsTar File(string path, byte[] content, bool executable = false)
    {
        EnsureParents(path);
        var name = Relative(path);
        entries[name] = () => new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = executable ? Executable : Readable,
            DataStream = new MemoryStream(content, writable: false),
        };
        return this;
    }

    public RootfsTar TextFile(string path, string content) => File(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Copies a host file (following symlinks) to the same or another path in the rootfs.</summary>
    public RootfsTar HostFile(string hostPath, string? pathInRootfs = null, bool executable = true) =>
        File(pathInRootfs ?? hostPath, System.IO.File.ReadAllBytes(hostPath), executable);

    public RootfsTar Symlink(string path, string target)
    {
        EnsureParents(path);
        var name = Relative(path);
        entries[name] = () => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = Executable };
        return this;
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            // Sorted by path, so a directory comes before what it holds.
            foreach (var entry in entries.Values)
            {
                writer.WriteEntry(entry());
            }
        }

        return buffer.ToArray();
    }

    private void EnsureParents(string path)
    {
        var parent = Path.GetDirectoryName(Relative(path));
        while (!string.IsNullOrEmpty(parent))
        {
            var name = parent + "/";
            entries.TryAdd(name, () => new PaxTarEntry(TarEntryType.Directory, name) { Mode = Executable | UnixFileMode.UserWrite });
            parent = Path.GetDirectoryName(parent);
        }
    }

    private static string Relative(string path) => path.TrimStart('/');
}
