namespace Mizan.Agent.Access.Audit;

/// <summary>Writes one audit entry where the audit log lives: the audit table, and a line in the agent's log.</summary>
public sealed partial class AuditLog(AuditStore store, ILogger<AuditLog> logger)
{
    public async Task WriteAsync(AuditRecord record)
    {
        try
        {
            // Not the call's token: a call the client abandons is still recorded.
            await store.AppendAsync(record, CancellationToken.None);
        }
        finally
        {
            LogAudit(logger, record.Caller, record.Action, record.App, record.Detail, record.Peer, record.Outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit: {Caller} {Action} {App} {Detail} from {Peer}: {Outcome}")]
    private static partial void LogAudit(ILogger logger, string caller, string action, string app, string detail, string peer, string outcome);
}
