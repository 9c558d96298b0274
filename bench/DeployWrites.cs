extern alias agent;

using agent::Mizan.Agent.Access.Audit;
using agent::Mizan.Agent.Apps;
using agent::Mizan.Agent.Apps.Events;
using agent::Mizan.Agent.Deployments;
using agent::Mizan.Agent.Deployments.History;
using agent::Mizan.Agent.Deployments.Standby;
using agent::Mizan.Agent.Runtime.Storage;

namespace Mizan.Bench;

/// <summary>
/// The SQLite writes of one successful deploy, made through the agent's own stores in the order DeployRun makes them:
/// the deployment with its idempotency key, each step's start and end (StepRecorder), the digest update, the standby
/// cleared and set, the end, and the caller's audit row. Docker, nginx and the waits are left out.
/// </summary>
public sealed class DeployWrites(AgentDatabase database)
{
    private const string App = "bench";
    private const string Image = "registry.example.com/bench:v2";
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly DeploymentStore store = new(database);
    private readonly StandbyStore standbys = new(database);
    private readonly AuditStore audit = new(database);
    private readonly TimeProvider time = TimeProvider.System;

    /// <summary>Commits one replay makes, counted from what it wrote (set by the first replay).</summary>
    public int Commits { get; private set; }

    public async Task ReplayAsync(CancellationToken cancellationToken)
    {
        var journal = new DeploymentJournal(store, new AgentEvents(), time);
        var id = OperationId.New(OperationKind.Deployment, time).Value;
        var record = new DeploymentRecord(id, App, DeploymentKind.Deploy, DeploymentState.Running, Image, null, "0123456789abcdef", null,
            "bench", time.GetUtcNow(), null, null, null, null, $"bench-{id}");
        var steps = new StepRecorder(journal, time, id);
        var writesBesideEvents = 0;

        await journal.BeginAsync(record, cancellationToken);
        writesBesideEvents++;
        await steps.RunAsync(DeploymentStep.Validate, "deploy requested", _ => Task.FromResult("declared, in its repository, lock taken"), cancellationToken);
        await steps.RunAsync(DeploymentStep.Pull, $"pulling {Image}", details =>
        {
            details["digest"] = Digest;
            return Task.FromResult($"pulled {Image} ({Digest})");
        }, cancellationToken);
        record = await journal.UpdateAsync(record with { Digest = Digest, FromSlot = "blue", ToSlot = "green" }, cancellationToken);
        writesBesideEvents++;
        await steps.RunAsync(DeploymentStep.Start, "starting in slot green", async details =>
        {
            await standbys.ClearAsync(App, cancellationToken);
            writesBesideEvents++;
            details["slot"] = "green";
            details["container_id"] = "0123456789abcdef0123456789abcdef";
            return "container 0123456789ab running in slot green";
        }, cancellationToken);
        await steps.RunAsync(DeploymentStep.Check, "waiting for /health", _ => Task.FromResult("healthy"), cancellationToken);
        await steps.RunAsync(
            DeploymentStep.Switch,
            "sending traffic to slot green",
            _ => Task.FromResult("nginx now sends bench to slot green"),
            cancellationToken);
        await steps.RunAsync(DeploymentStep.Verify, "checking through nginx", _ => Task.FromResult("3 answers from slot green"), cancellationToken);
        await steps.RunAsync(DeploymentStep.Standby, "keeping slot blue as hot standby", async _ =>
        {
            await standbys.SetAsync(new StandbyLease(App, Slot.Blue, time.GetUtcNow().AddHours(1)), cancellationToken);
            writesBesideEvents++;
            return "slot blue stays running as hot standby";
        }, cancellationToken);
        await journal.FinishAsync(id, DeploymentState.Succeeded, $"{Image} is live in slot green", cancellationToken);
        writesBesideEvents++;
        await audit.AppendAsync(
            new AuditRecord(time.GetUtcNow(), "bench", null, "Deployer", "deploy", App, $"image={Image}", "unix", "SUCCEEDED", id),
            cancellationToken);
        writesBesideEvents++;

        if (Commits == 0)
        {
            Commits = (await store.GetEventsAsync(id, cancellationToken)).Count + writesBesideEvents;
        }
    }
}
