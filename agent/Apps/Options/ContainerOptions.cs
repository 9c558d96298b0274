namespace Mizan.Agent.Apps.Options;

/// <summary>Per app (Apps:NAME:Container): what the app's containers may do and use on the server.</summary>
public sealed class ContainerOptions
{
    /// <summary>Docker's no-new-privileges: setuid binaries and file capabilities cannot raise what a process may do.</summary>
    public bool NoNewPrivileges { get; set; } = true;

    /// <summary>Linux capabilities taken away, e.g. ["ALL"] or ["NET_RAW", "MKNOD"].</summary>
    public List<string> DropCapabilities { get; set; } = [];

    /// <summary>Linux capabilities given back or added, e.g. ["NET_BIND_SERVICE"] after dropping ALL.</summary>
    public List<string> AddCapabilities { get; set; } = [];

    /// <summary>The memory limit ("256m", "1g", or bytes); empty is no limit. No swap is allowed on top of it.</summary>
    public string Memory { get; set; } = "";

    /// <summary>The most processes and threads the container may have; 0 is no limit.</summary>
    public long Pids { get; set; }

    /// <summary>How many CPUs the container may use, e.g. 1.5; 0 is no limit.</summary>
    public double Cpus { get; set; }

    /// <summary>The image's filesystem is mounted read-only; /tmp is then an empty tmpfs, and Volumes stay writable.</summary>
    public bool ReadOnlyRootFilesystem { get; set; }
}
