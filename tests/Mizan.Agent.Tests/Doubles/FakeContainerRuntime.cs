using System.Security.Cryptography;
using System.Text;
using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Doubles;

public enum RuntimeOperation
{
    Ping,
    Pull,
    StartSlot,
    StartExisting,
    Stop,
    Restart,
}

/// <summary>A change (or a pull, or a ping) the orchestration asked of the engine.</summary>
/// <param name="Subject">An image reference, "app/slot" or a container id.</param>
public sealed record RuntimeCall(RuntimeOperation Operation, string Subject);

/// <summary>
/// The Docker engine in memory: a registry of <see cref="FakeImage"/>s, containers in slots, and a record of every
/// change asked of it. Each operation is a <see cref="ScriptedCall"/>: <c>Pull.Fails()</c>, <c>StartSlot.FailsOnCall(1)</c>.
/// </summary>
public sealed class FakeContainerRuntime : IContainerRuntime
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, FakeImage> images = new(StringComparer.Ordinal);
    private readonly List<FakeContainer> containers = [];
    private readonly List<RuntimeCall> calls = [];

    public ScriptedCall Ping { get; } = new(() => new DependencyUnavailableException("the Docker engine does not answer (scripted)"));

    public ScriptedCall Pull { get; } = new(() => new DependencyUnavailableException("the registry localhost:5000 cannot be reached (scripted)"));

    public ScriptedCall Find { get; } = new(() => new DependencyUnavailableException("the Docker engine does not answer (scripted)"));

    public ScriptedCall StartSlot { get; } = new(() => new DependencyUnavailableException("the Docker engine could not create the container (scripted)"));

    public ScriptedCall StartExisting { get; } = new(() => new DependencyUnavailableException("the Docker engine could not start the container (scripted)"));

    public ScriptedCall Stop { get; } = new(() => new DependencyUnavailableException("the Docker engine could not stop the container (scripted)"));

    public ScriptedCall Restart { get; } = new(() => new DependencyUnavailableException("the Docker engine could not restart the container (scripted)"));

    public IReadOnlyList<RuntimeCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    /// <summary>Every container ever made, replaced ones included.</summary>
    public IReadOnlyList<FakeContainer> All
    {
        get
        {
            lock (gate)
            {
                return [.. containers];
            }
        }
    }

    public IReadOnlyList<RuntimeCall> CallsOf(RuntimeOperation operation) => [.. Calls.Where(call => call.Operation == operation)];

    /// <summary>The image "repository:tag" of the fake registry, made on first use (healthy unless programmed).</summary>
    public FakeImage Image(string reference)
    {
        lock (gate)
        {
            if (!images.TryGetValue(reference, out var image))
            {
                image = new FakeImage(reference);
                images[reference] = image;
            }

            return image;
        }
    }

    /// <summary>What stands in the slot now (stopped or running), or null.</summary>
    public FakeContainer? InSlot(string app, Slot slot)
    {
        lock (gate)
        {
            return containers.LastOrDefault(c => c.App == app && c.Slot == slot && !c.Removed);
        }
    }

    /// <summary>Puts a container in a slot as if an earlier agent had started it, replacing what stood there; records no call.</summary>
    public FakeContainer Place(string app, Slot slot, string imageReference, string deploymentId, bool running = true)
    {
        lock (gate)
        {
            return Create(app, slot, Image(imageReference), deploymentId, running);
        }
    }

    /// <summary>The container is removed, as by `docker rm`; records no call.</summary>
    public void Remove(FakeContainer container)
    {
        lock (gate)
        {
            if (!containers.Contains(container))
            {
                throw new ArgumentException($"container {container.Id[..12]} is not this engine's", nameof(container));
            }

            container.Remove();
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        Record(RuntimeOperation.Ping, "engine");
        await Ping.InvokeAsync(cancellationToken);
    }

    public async Task<PulledImage> PullAsync(ImageReference image, CancellationToken cancellationToken)
    {
        Record(RuntimeOperation.Pull, image.ToString());
        await Pull.InvokeAsync(cancellationToken);
        var pulled = image.Digest is { } digest ? ByDigest(digest) : Image($"{image.Repository}:{image.Tag}");
        return new PulledImage(image, pulled.Digest, pulled.Labels);
    }

    public async Task<SlotContainer?> FindSlotContainerAsync(string app, Slot slot, CancellationToken cancellationToken)
    {
        await Find.InvokeAsync(cancellationToken);
        return InSlot(app, slot)?.ToSlotContainer();
    }

    public async Task<StartedSlot> StartSlotAsync(SlotContainerSpec spec, CancellationToken cancellationToken)
    {
        Record(RuntimeOperation.StartSlot, $"{spec.App}/{spec.Slot.Name()}");
        await StartSlot.InvokeAsync(cancellationToken);
        lock (gate)
        {
            var container = Create(spec.App, spec.Slot, ByDigest(spec.Image.Digest), spec.DeploymentId, running: true).ToSlotContainer();
            return new StartedSlot(container, Task.CompletedTask);
        }
    }

    public async Task StartExistingAsync(string containerId, CancellationToken cancellationToken)
    {
        Record(RuntimeOperation.StartExisting, containerId);
        await StartExisting.InvokeAsync(cancellationToken);
        Existing(containerId).StartedAgain();
    }

    public async Task StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        Record(RuntimeOperation.Stop, containerId);
        await Stop.InvokeAsync(cancellationToken);
        Existing(containerId).Stopped();
    }

    public Task<ContainerRunState?> InspectStateAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult(ById(containerId)?.Inspect());

    public Task<string> GetLogTailAsync(string containerId, int lines, CancellationToken cancellationToken) =>
        Task.FromResult(ById(containerId) is { } container ? $"{container.Image}: the last {lines} lines of its log" : "");

    public async Task RestartAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken)
    {
        Record(RuntimeOperation.Restart, containerId);
        await Restart.InvokeAsync(cancellationToken);
        Existing(containerId).Restarted();
    }

    public Task<string> GetDataRootAsync(CancellationToken cancellationToken) => Task.FromResult("/var/lib/docker");

    public Task<IReadOnlyList<LocalImage>> ListImagesAsync(string repository, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<LocalImage> local = [.. images.Values
                .Where(image => image.Reference.StartsWith(repository + ":", StringComparison.Ordinal))
                .Select(image => new LocalImage(image.Digest, [image.Reference], [$"{repository}@{image.Digest}"], DateTimeOffset.UnixEpoch))];
            return Task.FromResult(local);
        }
    }

    public Task<bool> RemoveImageReferenceAsync(string reference, CancellationToken cancellationToken) => Task.FromResult(true);

    private FakeContainer Create(string app, Slot slot, FakeImage image, string deploymentId, bool running)
    {
        foreach (var old in containers.Where(c => c.App == app && c.Slot == slot && !c.Removed))
        {
            old.Remove();
        }

        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"container-{containers.Count + 1}")));
        var container = new FakeContainer(id, app, slot, image, deploymentId, running);
        containers.Add(container);
        return container;
    }

    private FakeImage ByDigest(string digest)
    {
        lock (gate)
        {
            return images.Values.FirstOrDefault(image => image.Digest == digest)
                ?? throw new DependencyUnavailableException($"manifest unknown: {digest} is not in the registry");
        }
    }

    private FakeContainer? ById(string id)
    {
        lock (gate)
        {
            return containers.FirstOrDefault(c => c.Id == id);
        }
    }

    private FakeContainer Existing(string id) =>
        ById(id) is { Removed: false } container ? container : throw new DependencyUnavailableException($"no such container: {id[..12]}");

    private void Record(RuntimeOperation operation, string subject)
    {
        lock (gate)
        {
            calls.Add(new RuntimeCall(operation, subject));
        }
    }
}
