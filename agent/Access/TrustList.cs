using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>A client trusted over TCP, as one of its certificate thumbprints finds it.</summary>
public sealed record TrustedClient(string Name, Role Role, IReadOnlySet<string> Apps);

/// <summary>
/// The clients trusted over TCP (Security:Clients), by SHA-256 certificate thumbprint. Replaced as a whole on reload,
/// so a call sees either the old list or the new one, never a mix.
/// </summary>
public sealed class TrustList
{
    private volatile Snapshot current;

    public TrustList(IEnumerable<TrustedClientOptions> clients)
    {
        current = Snapshot.From(clients);
    }

    public int ClientCount => current.Clients.Count;

    public TrustedClient? Find(string thumbprint) =>
        current.ByThumbprint.TryGetValue(Thumbprints.Normalize(thumbprint), out var client) ? client : null;

    /// <summary>Swaps in <paramref name="clients"/> (already validated) and says what changed.</summary>
    public TrustListChange Replace(IEnumerable<TrustedClientOptions> clients)
    {
        var next = Snapshot.From(clients);
        var previous = Interlocked.Exchange(ref current, next);
        return TrustListChange.Between(previous, next);
    }

    internal sealed record Snapshot(IReadOnlyDictionary<string, TrustedClient> Clients, IReadOnlyDictionary<string, TrustedClient> ByThumbprint)
    {
        public static Snapshot From(IEnumerable<TrustedClientOptions> clients)
        {
            var byName = new Dictionary<string, TrustedClient>(StringComparer.Ordinal);
            var byThumbprint = new Dictionary<string, TrustedClient>(StringComparer.Ordinal);
            foreach (var options in clients)
            {
                var client = new TrustedClient(options.Name, options.Role, new HashSet<string>(options.Apps, StringComparer.Ordinal));
                byName[options.Name] = client;
                foreach (var thumbprint in options.Thumbprints)
                {
                    byThumbprint[Thumbprints.Normalize(thumbprint)] = client;
                }
            }

            return new Snapshot(byName, byThumbprint);
        }
    }
}

/// <summary>What a reload changed: client names, and thumbprint prefixes (never whole thumbprints).</summary>
public sealed record TrustListChange(
    IReadOnlyList<string> AddedClients,
    IReadOnlyList<string> RemovedClients,
    IReadOnlyList<string> ChangedClients,
    IReadOnlyList<string> AddedThumbprints,
    IReadOnlyList<string> RemovedThumbprints)
{
    public bool IsEmpty => AddedClients.Count + RemovedClients.Count + ChangedClients.Count + AddedThumbprints.Count + RemovedThumbprints.Count == 0;

    public override string ToString() => IsEmpty
        ? "no change"
        : string.Join("; ", new[]
        {
            Part("clients added", AddedClients),
            Part("clients removed", RemovedClients),
            Part("role or apps changed", ChangedClients),
            Part("thumbprints added", AddedThumbprints),
            Part("thumbprints removed", RemovedThumbprints),
        }.Where(part => part.Length > 0));

    internal static TrustListChange Between(TrustList.Snapshot before, TrustList.Snapshot after) => new(
        [.. after.Clients.Keys.Except(before.Clients.Keys).Order(StringComparer.Ordinal)],
        [.. before.Clients.Keys.Except(after.Clients.Keys).Order(StringComparer.Ordinal)],
        [.. after.Clients
            .Where(pair => before.Clients.TryGetValue(pair.Key, out var old) && !SameGrant(old, pair.Value))
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal)],
        [.. after.ByThumbprint.Keys
            .Except(before.ByThumbprint.Keys)
            .Order(StringComparer.Ordinal)
            .Select(t => $"{Thumbprints.Prefix(t)} ({after.ByThumbprint[t].Name})")],
        [.. before.ByThumbprint.Keys
            .Except(after.ByThumbprint.Keys)
            .Order(StringComparer.Ordinal)
            .Select(t => $"{Thumbprints.Prefix(t)} ({before.ByThumbprint[t].Name})")]);

    private static bool SameGrant(TrustedClient a, TrustedClient b) => a.Role == b.Role && a.Apps.SetEquals(b.Apps);

    private static string Part(string what, IReadOnlyList<string> items) => items.Count == 0 ? "" : $"{what}: {string.Join(", ", items)}";
}
