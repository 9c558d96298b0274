using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Retention;

/// <summary>The recorded front-port maps of past traffic moves go with the deployment history (Retention:KeepHistoryFor).</summary>
public sealed class TrafficRouteChangesExpiry(TrafficRouteStore store, IOptions<AgentOptions> options) : IExpiringRecords
{
    public string Name => "traffic route changes";

    public TimeSpan KeepFor => options.Value.Retention.KeepHistoryFor;

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => store.DeleteChangesBeforeAsync(cutoff, cancellationToken);
}
