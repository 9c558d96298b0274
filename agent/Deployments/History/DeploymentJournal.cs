using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Deployments.History;

/// <summary>
/// Records each step in the store before it is published, and lets any number of watchers follow a deployment:
/// what happened so far is replayed, then new events arrive as they are recorded. A deploy runs on whether or not anyone watches.
/// </summary>
public sealed class DeploymentJournal(DeploymentStore store, AgentEvents events, TimeProvider time, IEnumerable<IDeploymentObserver>? observers = null)
{
    private readonly IDeploymentObserver[] observers = [.. observers ?? []];
    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<string, LiveDeployment> live = new(StringComparer.Ordinal);

    public async Task BeginAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        await store.InsertAsync(record, cancellationToken);
        live[record.Id] = new LiveDeployment(record);
        events.Publish(DeploymentLifecycleEvents.Started(record));
    }

    /// <summary>
    /// Takes back a run an earlier agent left running (it died), so that the start-up reconciler ends it like any run:
    /// recorded, published, and seen by webhooks and metrics.
    /// </summary>
    public async Task ResumeAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        var recorded = await store.GetEventsAsync(record.Id, cancellationToken);
        live[record.Id] = new LiveDeployment(record, recorded.Count);
    }

    public async Task<DeploymentRecord> UpdateAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        await store.UpdateAsync(record, cancellationToken);
        Live(record.Id).Record = record;
        return record;
    }

    public async Task RecordAsync(
        string id,
        DeploymentStep step,
        StepStatus status,
        string message,
        IReadOnlyDictionary<string, string>? details,
        CancellationToken cancellationToken)
    {
        var deployment = Live(id);
        var record = new DeploymentEventRecord(id, deployment.NextSequence(), time.GetUtcNow(), step, status, message, details ?? NoDetails);
        await store.AppendEventAsync(record, cancellationToken);
        deployment.Publish(record, final: false);
    }

    public async Task<DeploymentRecord> FinishAsync(string id, DeploymentState state, string message, CancellationToken cancellationToken)
    {
        var deployment = Live(id);
        if (!DeploymentStateRules.CanTransition(deployment.Record.State, state))
        {
            throw new InvalidOperationException($"deployment {id} cannot go from {deployment.Record.State} to {state}");
        }

        var finished = deployment.Record with { State = state, EndedAt = time.GetUtcNow(), Message = message };
        await store.UpdateAsync(finished, cancellationToken);
        deployment.Record = finished;
        var status = state == DeploymentState.Succeeded ? StepStatus.Succeeded : StepStatus.Failed;
        var done = new DeploymentEventRecord(id, deployment.NextSequence(), finished.EndedAt!.Value, DeploymentStep.Done, status, message, NoDetails);
        await store.AppendEventAsync(done, cancellationToken);
        deployment.Publish(done with { Result = finished }, final: true);
        live.TryRemove(id, out _);
        events.Publish(DeploymentLifecycleEvents.Finished(finished));
        foreach (var observer in observers)
        {
            observer.DeploymentFinished(finished);
        }

        return finished;
    }

    /// <summary>Tells the observers a step ended and how long it took (the store already has it as duration_ms).</summary>
    public void ObserveStep(string id, DeploymentStep step, StepStatus status, TimeSpan duration)
    {
        if (live.TryGetValue(id, out var deployment))
        {
            foreach (var observer in observers)
            {
                observer.StepFinished(deployment.Record, step, status, duration);
            }
        }
    }

    /// <summary>Fails with NotFoundException before yielding anything when the id is unknown.</summary>
    public async IAsyncEnumerable<DeploymentEventRecord> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (live.TryGetValue(id, out var running))
        {
            var (history, subscription) = running.Subscribe();
            try
            {
                foreach (var record in history)
                {
                    yield return record;
                }

                await foreach (var record in subscription.Reader.ReadAllAsync(cancellationToken))
                {
                    yield return record;
                }
            }
            finally
            {
                running.Unsubscribe(subscription);
            }

            yield break;
        }

        var stored = await store.GetAsync(id, cancellationToken)
            ?? throw new NotFoundException($"no deployment with id '{AppCatalog.Printable(id)}'; `mizanctl history --app APP` lists them");
        var events = await store.GetEventsAsync(id, cancellationToken);
        for (var i = 0; i < events.Count; i++)
        {
            var isLast = i == events.Count - 1 && events[i].Step == DeploymentStep.Done;
            yield return isLast ? events[i] with { Result = stored } : events[i];
        }

        if (events.Count == 0 || events[^1].Step != DeploymentStep.Done)
        {
            yield return new DeploymentEventRecord(
                id,
                events.Count + 1,
                stored.EndedAt ?? time.GetUtcNow(),
                DeploymentStep.Done,
                StepStatus.Failed,
                stored.Message ?? stored.State.ToString(),
                NoDetails,
                stored);
        }
    }

    private LiveDeployment Live(string id) =>
        live.TryGetValue(id, out var deployment) ? deployment : throw new InvalidOperationException($"deployment {id} is not running in this agent");

    private sealed class LiveDeployment(DeploymentRecord record, int recordedEvents = 0)
    {
        private readonly List<DeploymentEventRecord> history = [];
        private readonly List<Channel<DeploymentEventRecord>> subscribers = [];
        private int sequence = recordedEvents;
        private bool finished;

        public DeploymentRecord Record { get; set; } = record;

        public int NextSequence() => Interlocked.Increment(ref sequence);

        public void Publish(DeploymentEventRecord record, bool final)
        {
            lock (history)
            {
                history.Add(record);
                foreach (var subscriber in subscribers)
                {
                    subscriber.Writer.TryWrite(record);
                    if (final)
                    {
                        subscriber.Writer.TryComplete();
                    }
                }

                finished |= final;
            }
        }

        public (IReadOnlyList<DeploymentEventRecord> History, Channel<DeploymentEventRecord> Subscription) Subscribe()
        {
            var channel = Channel.CreateUnbounded<DeploymentEventRecord>(new UnboundedChannelOptions { SingleReader = true });
            lock (history)
            {
                if (finished)
                {
                    channel.Writer.TryComplete();
                }
                else
                {
                    subscribers.Add(channel);
                }

                return ([.. history], channel);
            }
        }

        public void Unsubscribe(Channel<DeploymentEventRecord> channel)
        {
            lock (history)
            {
                subscribers.Remove(channel);
            }
        }
    }
}
