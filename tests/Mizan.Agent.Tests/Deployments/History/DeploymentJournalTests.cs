using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Deployments.History;

/// <summary>The journal against a real SQLite file in a fresh directory per test.</summary>
public sealed class DeploymentJournalTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-journal-").FullName;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly DeploymentStore store;
    private readonly DeploymentJournal journal;
    private readonly AgentEvents events = new();

    public DeploymentJournalTests()
    {
        var options = Options.Create(new AgentOptions { Agent = { DataDirectory = directory } });
        store = new DeploymentStore(new AgentDatabase(options));
        journal = new DeploymentJournal(store, events, time);
    }

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task WatchAsync_JoinedMidway_ReplaysThenFollowsToTheResult()
    {
        var record = NewRecord("d-1");
        await journal.BeginAsync(record, CancellationToken.None);
        await journal.RecordAsync("d-1", DeploymentStep.Pull, StepStatus.Started, "pulling", null, CancellationToken.None);

        var watched = new List<DeploymentEventRecord>();
        var watcher = Task.Run(async () =>
        {
            await foreach (var e in journal.WatchAsync("d-1", CancellationToken.None))
            {
                watched.Add(e);
            }
        });
        await journal.RecordAsync(
            "d-1",
            DeploymentStep.Pull,
            StepStatus.Succeeded,
            "pulled",
            new Dictionary<string, string> { ["digest"] = "sha256:x" },
            CancellationToken.None);
        await journal.FinishAsync("d-1", DeploymentState.Succeeded, "live", CancellationToken.None);
        await watcher.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2, 3], watched.Select(e => e.Sequence));
        Assert.Equal("sha256:x", watched[1].Details["digest"]);
        Assert.Equal(DeploymentState.Succeeded, watched[^1].Result?.State);
    }

    [Fact]
    public async Task FinishAsync_DeployRolledBack_PublishesStartedThenRolledBack()
    {
        using var subscription = events.Subscribe();
        await journal.BeginAsync(NewRecord("d-9"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));
        await journal.FinishAsync("d-9", DeploymentState.RolledBack, "verify failed", CancellationToken.None);

        Assert.True(subscription.Reader.TryRead(out var started));
        Assert.True(subscription.Reader.TryRead(out var finished));
        Assert.Equal(AgentEventKind.DeployStarted, started.Kind);
        Assert.Equal(AgentEventKind.DeployRolledBack, finished.Kind);
        Assert.Equal("d-9", finished.DeploymentId);
        Assert.Equal("3000", finished.Details!["duration_ms"]);
        Assert.Contains("verify failed", finished.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_FinishedDeployment_ReplaysFromStoreWithResult()
    {
        await journal.BeginAsync(NewRecord("d-2"), CancellationToken.None);
        await journal.RecordAsync("d-2", DeploymentStep.Check, StepStatus.Failed, "unhealthy", null, CancellationToken.None);
        await journal.FinishAsync("d-2", DeploymentState.Failed, "check failed; live traffic untouched", CancellationToken.None);

        var replayed = new List<DeploymentEventRecord>();
        await foreach (var e in journal.WatchAsync("d-2", CancellationToken.None))
        {
            replayed.Add(e);
        }

        Assert.Equal(DeploymentStep.Done, replayed[^1].Step);
        Assert.Equal(DeploymentState.Failed, replayed[^1].Result?.State);
        Assert.Equal("check failed; live traffic untouched", replayed[^1].Result?.Message);
    }

    [Fact]
    public async Task WatchAsync_UnknownId_ThrowsNotFoundBeforeAnyEvent()
    {
        await Assert.ThrowsAsync<NotFoundException>(async () =>
        {
            await foreach (var unused in journal.WatchAsync("d-missing", CancellationToken.None))
            {
            }
        });
    }

    [Fact]
    public async Task FinishAsync_Twice_IsRefused()
    {
        await journal.BeginAsync(NewRecord("d-3"), CancellationToken.None);
        await journal.FinishAsync("d-3", DeploymentState.Succeeded, "live", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => journal.FinishAsync("d-3", DeploymentState.Failed, "again", CancellationToken.None));
        Assert.Equal(DeploymentState.Succeeded, (await store.GetAsync("d-3", CancellationToken.None))?.State);
    }

    [Fact]
    public async Task Store_PersistsCommitAndRequester()
    {
        var commitTime = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);
        await journal.BeginAsync(NewRecord("d-4") with { CommitSha = "abc123", CommitTime = commitTime }, CancellationToken.None);

        var stored = await store.GetAsync("d-4", CancellationToken.None);

        Assert.Equal("abc123", stored?.CommitSha);
        Assert.Equal(commitTime, stored?.CommitTime);
        Assert.Equal("ci", stored?.RequestedBy);
        Assert.Equal(DeploymentState.Running, stored?.State);
    }

    [Fact]
    public async Task Store_PersistsTheClaimAndTheAuthenticatedCallerApart()
    {
        await journal.BeginAsync(NewRecord("d-5") with { Caller = "ci-github (thumbprint ab12cd34ef56…)" }, CancellationToken.None);

        var stored = await store.GetAsync("d-5", CancellationToken.None);

        Assert.Equal("ci", stored?.RequestedBy);
        Assert.Equal("ci-github (thumbprint ab12cd34ef56…)", stored?.Caller);
        Assert.Equal("ci via ci-github (thumbprint ab12cd34ef56…)", stored?.Requester);
    }

    [Fact]
    public async Task BeginAsync_WithACaller_AnnouncesBothInTheEventDetails()
    {
        using var subscription = events.Subscribe();

        await journal.BeginAsync(NewRecord("d-6") with { RequestedBy = "github:acme/web#42", Caller = "uid 0 (root)" }, CancellationToken.None);

        Assert.True(subscription.Reader.TryRead(out var started));
        Assert.Equal("github:acme/web#42", started.Details!["requested_by"]);
        Assert.Equal("uid 0 (root)", started.Details["caller"]);
        Assert.Contains("started by github:acme/web#42 via uid 0 (root)", started.Summary, StringComparison.Ordinal);
    }

    private DeploymentRecord NewRecord(string id) =>
        new(
            id, "web", DeploymentKind.Deploy, DeploymentState.Running, "localhost:5000/web:v2", null, null, null, "ci", time.GetUtcNow(),
            null, null, null, null);
}
