using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>The Docker side, kept small so the deploy engine never sees Docker's API types.</summary>
public interface IContainerRuntime
{
    /// <summary>Fails with DependencyUnavailableException when the engine does not answer.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Pulls from the registry and returns the content digest that will run.</summary>
    Task<PulledImage> PullAsync(ImageReference image, CancellationToken cancellationToken);

    Task<SlotContainer?> FindSlotContainerAsync(string app, Slot slot, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces whatever stands in the slot with a new, started container. It returns once the new one runs; what is
    /// left to tidy (removing the old container, giving the new one the slot's name) goes on in <see cref="StartedSlot.Settled"/>.
    /// </summary>
    Task<StartedSlot> StartSlotAsync(SlotContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts a stopped container again (e.g. an expired standby needed for a rollback).</summary>
    Task StartExistingAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>SIGTERM, then SIGKILL after the grace period; the container is kept for its logs.</summary>
    Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken);

    Task<ContainerRunState?> InspectStateAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>The container's last <paramref name="lines"/> lines of output, as <see cref="LogTail"/> keeps them: capped, without controls.</summary>
    Task<string> GetLogTailAsync(string containerId, int lines, CancellationToken cancellationToken);

    /// <summary>Stops (SIGTERM, SIGKILL after the grace period) and starts the same container again; works on an exited one too.</summary>
    Task RestartAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>The engine's data root (DockerRootDir), e.g. /var/lib/docker: where images and containers take disk space.</summary>
    Task<string> GetDataRootAsync(CancellationToken cancellationToken);

    /// <summary>Local images that carry a tag or a digest of <paramref name="repository"/>.</summary>
    Task<IReadOnlyList<LocalImage>> ListImagesAsync(string repository, CancellationToken cancellationToken);

    /// <summary>
    /// Removes one reference ("repo:tag" or "repo@sha256:..."); the image goes when its last reference does. Never
    /// forced: false when a container still uses the image (the engine refuses), true when removed or already gone.
    /// </summary>
    Task<bool> RemoveImageReferenceAsync(string reference, CancellationToken cancellationToken);
}

/// <param name="Tags">"repo:tag" references.</param>
/// <param name="Digests">"repo@sha256:..." references.</param>
public sealed record LocalImage(string Id, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, DateTimeOffset Created);

/// <param name="Labels">The image's labels (empty when the engine gave none); the OCI ones tell where it was built from.</param>
public sealed record PulledImage(ImageReference Reference, string Digest, IReadOnlyDictionary<string, string>? Labels = null)
{
    /// <summary>repository@digest: what a container is created from, so the exact pulled bytes run.</summary>
    public string PinnedReference => $"{Reference.Repository}@{Digest}";
}

public sealed record SlotContainer(string Id, string App, Slot Slot, string Image, string Digest, string DeploymentId, string State);

/// <summary>A container that runs in its slot, and the tidying up behind it.</summary>
/// <param name="Settled">Ends when the replaced container is removed and the new one carries the slot's name; never faults
/// (what it could not do is logged, and the slot's next start removes the rest).</param>
public sealed record StartedSlot(SlotContainer Container, Task Settled);

/// <summary>HealthStatus is null when the image declares no Docker HEALTHCHECK.</summary>
/// <param name="OomKilled">The kernel killed the container's process for going over its memory limit (sticks across Docker's restarts).</param>
public sealed record ContainerRunState(
    bool Running,
    bool Restarting,
    long ExitCode,
    long RestartCount,
    string Status,
    string? HealthStatus,
    bool OomKilled = false);

public sealed record SlotContainerSpec(
    string App,
    Slot Slot,
    int HostPort,
    PulledImage Image,
    string DeploymentId,
    AppNetwork Network,
    int ContainerPort,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Volumes,
    ContainerOptions Container);
