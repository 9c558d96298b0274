using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Reporting.Metrics;
using Mizan.Agent.Runtime.Storage;

namespace Mizan.Agent.Tests.Reporting.Metrics;

/// <summary>The journal feeds the instruments: a step's duration when it ends, the outcome when the deployment ends.</summary>
public sealed class DeploymentInstrumentsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-instruments-").FullName;
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly MeasurementRecorder recorder;
    private readonly DeploymentJournal journal;

    public DeploymentInstrumentsTests()
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        recorder = new MeasurementRecorder(meters);
        var store = new DeploymentStore(new AgentDatabase(Options.Create(new AgentOptions { Agent = { DataDirectory = directory } })));
        journal = new DeploymentJournal(store, new AgentEvents(), time, [new DeploymentInstruments(meters)]);
    }

    public void Dispose()
    {
        recorder.Dispose();
        services.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_StepThatFails_RecordsItsDurationWithStatusFailed()
    {
        await journal.BeginAsync(Record("d-1", DeploymentKind.Deploy), CancellationToken.None);
        var steps = new StepRecorder(journal, time, "d-1");

        await steps.RunAsync(
            DeploymentStep.Pull,
            "pulling",
            _ =>
            {
                time.Advance(TimeSpan.FromSeconds(2.5));
                return Task.FromResult("pulled");
            },
            CancellationToken.None);
        await Assert.ThrowsAsync<StepFailedException>(() => steps.RunAsync(
            DeploymentStep.SwitchBack,
            "back",
            _ =>
            {
                time.Advance(TimeSpan.FromMilliseconds(300));
                throw new InvalidOperationException("nginx -t failed");
            },
            CancellationToken.None));

        var durations = recorder.Of("mizan.deploy.step.duration");
        Assert.Equal(2, durations.Count);
        Assert.Equal(2.5, durations[0].Value, 3);
        Assert.Equal("pull", durations[0].Tags["step"]);
        Assert.Equal("succeeded", durations[0].Tags["status"]);
        Assert.Equal("web", durations[0].Tags["app"]);
        Assert.Equal("deploy", durations[0].Tags["kind"]);
        Assert.Equal(0.3, durations[1].Value, 3);
        Assert.Equal("switch_back", durations[1].Tags["step"]);
        Assert.Equal("failed", durations[1].Tags["status"]);
    }

    [Fact]
    public async Task FinishAsync_Rollback_CountsItAndRecordsItsDuration()
    {
        await journal.BeginAsync(Record("d-2", DeploymentKind.Rollback), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1.25));

        await journal.FinishAsync("d-2", DeploymentState.Succeeded, "back on blue", CancellationToken.None);

        var count = Assert.Single(recorder.Of("mizan.deploys"));
        Assert.Equal(1, count.Value);
        Assert.Equal(("rollback", "succeeded", "web"), (count.Tags["kind"], count.Tags["outcome"], count.Tags["app"]));
        var duration = Assert.Single(recorder.Of("mizan.rollback.duration"));
        Assert.Equal(1.25, duration.Value, 3);
    }

    [Fact]
    public async Task FinishAsync_DeployRolledBack_CountsOutcomeRolledBackAndNoRollbackDuration()
    {
        await journal.BeginAsync(Record("d-3", DeploymentKind.Deploy), CancellationToken.None);

        await journal.FinishAsync("d-3", DeploymentState.RolledBack, "verify failed", CancellationToken.None);

        Assert.Equal("rolled_back", Assert.Single(recorder.Of("mizan.deploys")).Tags["outcome"]);
        Assert.Empty(recorder.Of("mizan.rollback.duration"));
    }

    private DeploymentRecord Record(string id, DeploymentKind kind) =>
        new(id, "web", kind, DeploymentState.Running, "web:v2", null, null, null, "test", time.GetUtcNow(), null, null, null, null);
}
