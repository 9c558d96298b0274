using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>One container of the fake engine: what it runs, whether it runs, what it answers, and what was done to it.</summary>
public sealed class FakeContainer
{
    private readonly Lock gate = new();
    private readonly List<string> history = [];
    private bool running;
    private long exitCode;
    private int healthStatus;
    private int pageStatus;
    private int inspections;
    private int warmingUp;
    private bool removed;
    private int? outOfMemoryMarkedAt;

    internal FakeContainer(string id, string app, Slot slot, FakeImage image, string deploymentId, bool running)
    {
        Id = id;
        App = app;
        Slot = slot;
        Image = image.Reference;
        Digest = image.Digest;
        DeploymentId = deploymentId;
        DockerHealth = image.DockerHealth;
        ExitAt = image.Exit;
        OutOfMemoryMarkedAfter = image.OutOfMemoryMarkedAfter;
        this.running = running;
        healthStatus = image.HealthStatus;
        pageStatus = image.PageStatus;
    }

    public string Id { get; }

    public string App { get; }

    public Slot Slot { get; }

    public string Image { get; }

    public string Digest { get; }

    public string DeploymentId { get; }

    public string? DockerHealth { get; set; }

    /// <summary>Docker's count of the restarts its restart policy made; auto-heal's restarts are not counted.</summary>
    public long RestartCount { get; set; }

    private (int Inspections, long ExitCode)? ExitAt { get; set; }

    private int? OutOfMemoryMarkedAfter { get; }

    public bool Running => Locked(() => running);

    /// <summary>Replaced by a later container in its slot (Docker removes the old one).</summary>
    public bool Removed => Locked(() => removed);

    public long ExitCode => Locked(() => exitCode);

    /// <summary>"stopped", "started again", "restarted", "removed", in order.</summary>
    public IReadOnlyList<string> History => Locked(() => (IReadOnlyList<string>)[.. history]);

    public int HealthStatus => Locked(() => healthStatus);

    public int PageStatus => Locked(() => pageStatus);

    /// <summary>The process died: no port answers, Docker reports the exit code.</summary>
    public void Crash(long code = 137) => Locked(() =>
    {
        running = false;
        exitCode = code;
    });

    /// <summary>Still running, but every path now answers <paramref name="status"/>.</summary>
    public void StopAnswering(int status = 500) => Locked(() =>
    {
        healthStatus = status;
        pageStatus = status;
    });

    /// <summary>Its health path answers 503 to the next <paramref name="requests"/> probes, then as before: an app still starting.</summary>
    public void WarmsUpFor(int requests) => Locked(() =>
    {
        warmingUp = requests;
    });

    /// <summary>Answers well again on every path.</summary>
    public void Recover() => Locked(() =>
    {
        healthStatus = 200;
        pageStatus = 200;
    });

    /// <summary>What a request to its health path, or to any other path, gets now.</summary>
    internal int Answer(bool healthPath) => Locked(() =>
    {
        if (healthPath && warmingUp > 0)
        {
            warmingUp--;
            return 503;
        }

        return healthPath ? healthStatus : pageStatus;
    });

    internal string State => Locked(() => running ? "running" : "exited");

    internal SlotContainer ToSlotContainer() => new(Id, App, Slot, Image, Digest, DeploymentId, State);

    internal ContainerRunState? Inspect() => Locked(() =>
    {
        if (removed)
        {
            return null;
        }

        inspections++;
        if (ExitAt is { } exit && running && inspections >= exit.Inspections)
        {
            running = false;
            exitCode = exit.ExitCode;
            ExitAt = null;
            outOfMemoryMarkedAt = inspections + OutOfMemoryMarkedAfter;
        }

        var oomKilled = inspections >= outOfMemoryMarkedAt;
        return new ContainerRunState(running, false, exitCode, RestartCount, running ? "running" : "exited", DockerHealth, oomKilled);
    });

    internal void Stopped() => Locked(() =>
    {
        running = false;
        history.Add("stopped");
    });

    internal void StartedAgain() => Locked(() =>
    {
        running = true;
        exitCode = 0;
        history.Add("started again");
    });

    internal void Restarted() => Locked(() =>
    {
        running = true;
        exitCode = 0;
        history.Add("restarted");
    });

    internal void Remove() => Locked(() =>
    {
        running = false;
        removed = true;
        history.Add("removed");
    });

    private T Locked<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    private void Locked(Action write)
    {
        lock (gate)
        {
            write();
        }
    }
}
