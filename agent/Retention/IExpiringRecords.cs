namespace Mizan.Agent.Retention;

/// <summary>
/// Records an area above this one keeps (the audit log, in Access) that the clean-up deletes once they are older than
/// their keep period. The area registers its implementation; the clean-up runs it without knowing the area.
/// </summary>
public interface IExpiringRecords
{
    /// <summary>What they are, for the log: "audit entries".</summary>
    string Name { get; }

    /// <summary>How long they are kept (the audit log: Retention:KeepAuditFor).</summary>
    TimeSpan KeepFor { get; }

    /// <summary>Deletes the records older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
