using Grpc.Core;
using Mizan.Agent.V1;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>Reads a deployment event stream to its end, with a deadline.</summary>
public static class EventStreams
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(90);

    public static async Task<DeployOutcome> ReadToEndAsync(AsyncServerStreamingCall<DeploymentEvent> call, CancellationToken cancellationToken)
    {
        var events = new List<DeploymentEvent>();
        await foreach (var deploymentEvent in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            events.Add(deploymentEvent);
        }

        return new DeployOutcome(events);
    }

    public static DateTime Deadline(TimeSpan? deadline = null) => DateTime.UtcNow.Add(deadline ?? DefaultDeadline);
}
