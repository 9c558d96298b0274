using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Retention;

namespace Mizan.Agent.Access.Audit;

/// <summary>The audit log's part in the scheduled clean-up: entries older than Retention:KeepAuditFor go.</summary>
public sealed class AuditExpiry(AuditStore store, IOptions<AgentOptions> options) : IExpiringRecords
{
    public string Name => "audit entries";

    public TimeSpan KeepFor => options.Value.Retention.KeepAuditFor;

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => store.DeleteBeforeAsync(cutoff, cancellationToken);
}
