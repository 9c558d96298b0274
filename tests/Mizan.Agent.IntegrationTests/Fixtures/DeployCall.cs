using Grpc.Core;
using Mizan.Agent.V1;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A Deploy (or Rollback) stream read in the background, for scenarios that act while a deployment runs:
/// wait for a given event, then refuse a second deploy, kill the agent, or disconnect (Dispose).
/// </summary>
public sealed class DeployCall : IDisposable
{
    private readonly AsyncServerStreamingCall<DeploymentEvent> call;
    private readonly CancellationTokenSource disconnect;
    private readonly List<DeploymentEvent> events = [];
    private readonly Task<DeployOutcome> reading;

    public DeployCall(AsyncServerStreamingCall<DeploymentEvent> call, CancellationToken cancellationToken)
    {
        this.call = call;
        this.disconnect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading = Task.Run(ReadAsync, CancellationToken.None);
    }

    /// <summary>The events received so far.</summary>
    public IReadOnlyList<DeploymentEvent> Events
    {
        get
        {
            lock (this.events)
            {
                return [.. this.events];
            }
        }
    }

    /// <summary>Waits until an event matching <paramref name="match"/> arrived; fails if the stream ends first.</summary>
    public async Task<DeploymentEvent> WaitForAsync(Func<DeploymentEvent, bool> match, string what, CancellationToken cancellationToken)
    {
        DeploymentEvent? found = null;
        await Eventually.TrueAsync(
            _ =>
            {
                found = Events.FirstOrDefault(match);
                if (found is null && reading.IsCompleted)
                {
                    throw new InvalidOperationException(
                        $"The stream ended before {what}: {new DeployOutcome(Events)}{Environment.NewLine}{(reading.IsFaulted ? reading.Exception : "")}");
                }

                return Task.FromResult(found is not null);
            },
            TimeSpan.FromSeconds(60),
            () => $"{what}; events so far: {new DeployOutcome(Events)}",
            cancellationToken,
            TimeSpan.FromMilliseconds(20));
        return found!;
    }

    /// <summary>The whole stream; rethrows what ended it (e.g. an RpcException when the agent died).</summary>
    public Task<DeployOutcome> CompletionAsync(CancellationToken cancellationToken) => reading.WaitAsync(cancellationToken);

    /// <summary>Cancels the call: the client goes away mid-stream, as a CI job that is cancelled.</summary>
    public void Dispose()
    {
        this.disconnect.Cancel();
        this.call.Dispose();
        this.disconnect.Dispose();
    }

    private async Task<DeployOutcome> ReadAsync()
    {
        await foreach (var deploymentEvent in this.call.ResponseStream.ReadAllAsync(this.disconnect.Token))
        {
            lock (this.events)
            {
                this.events.Add(deploymentEvent);
            }
        }

        return new DeployOutcome(Events);
    }
}
