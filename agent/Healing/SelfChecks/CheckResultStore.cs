using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>
/// The last Checks:KeepResults results of every check, in memory: they describe the present, and a restarted agent
/// measures again within one interval. Each check also carries when it entered its status and its failures in a row.
/// </summary>
public sealed class CheckResultStore(IOptions<AgentOptions> options)
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private int Keep => Math.Max(1, options.Value.Checks.KeepResults);

    public RecordedCheck Record(CheckResult result)
    {
        lock (entries)
        {
            if (!entries.TryGetValue(result.Name, out var entry))
            {
                entry = new Entry();
                entries[result.Name] = entry;
            }

            var previous = entry.State;
            var statusSince = previous is not null && previous.Status == result.Status ? previous.StatusSince : result.At;
            var failures = result.Status == CheckStatus.Failing ? (previous?.ConsecutiveFailures ?? 0) + 1 : 0;
            entry.State = new CheckState(result, statusSince, failures);
            entry.History.Enqueue(result);
            while (entry.History.Count > Keep)
            {
                entry.History.Dequeue();
            }

            return new RecordedCheck(entry.State, previous?.Status);
        }
    }

    public CheckState? Get(string name)
    {
        lock (entries)
        {
            return entries.TryGetValue(name, out var entry) ? entry.State : null;
        }
    }

    /// <summary>The latest state of every check, agent-wide ones first, then by app and name.</summary>
    public IReadOnlyList<CheckState> Latest()
    {
        lock (entries)
        {
            return entries.Values
                .Select(entry => entry.State!)
                .OrderBy(state => state.App.Length > 0)
                .ThenBy(state => state.App, StringComparer.Ordinal)
                .ThenBy(state => state.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Oldest first; at most Checks:KeepResults.</summary>
    public IReadOnlyList<CheckResult> History(string name)
    {
        lock (entries)
        {
            return entries.TryGetValue(name, out var entry) ? entry.History.ToList() : [];
        }
    }

    /// <summary>Drops a check that no longer applies (e.g. the certificate check after the TLS listener went away).</summary>
    public void Forget(string name)
    {
        lock (entries)
        {
            entries.Remove(name);
        }
    }

    private sealed class Entry
    {
        public CheckState? State { get; set; }

        public Queue<CheckResult> History { get; } = new();
    }
}
