namespace Mizan.Agent.Hosting.Configuration;

/// <summary>
/// Which configuration keys differ between two readings of the file, and which of those a reload cannot apply: only
/// the trust list (Security:Clients) is swapped in live; everything else is wired into the running agent at start.
/// </summary>
public sealed record ConfigurationChanges(IReadOnlyList<string> AppliedLive, IReadOnlyList<string> NeedRestart)
{
    /// <summary>Keys under this prefix take effect on reload (TrustList.Replace).</summary>
    public const string LivePrefix = "Security:Clients";

    public static IReadOnlyDictionary<string, string?> Snapshot(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    public static ConfigurationChanges Between(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        // Configuration keys ignore case, whatever the dictionaries were made with.
        before = new Dictionary<string, string?>(before, StringComparer.OrdinalIgnoreCase);
        after = new Dictionary<string, string?>(after, StringComparer.OrdinalIgnoreCase);
        var changed = before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !string.Equals(before.GetValueOrDefault(key), after.GetValueOrDefault(key), StringComparison.Ordinal))
            .ToList();
        // Only key names are reported, never values: a changed registry password must not reach the journal.
        var live = changed.Where(IsLive).Order(StringComparer.Ordinal).ToList();
        var restart = changed.Where(key => !IsLive(key)).Order(StringComparer.Ordinal).ToList();
        return new ConfigurationChanges(live, restart);
    }

    private static bool IsLive(string key) =>
        key.Equals(LivePrefix, StringComparison.OrdinalIgnoreCase) || key.StartsWith(LivePrefix + ":", StringComparison.OrdinalIgnoreCase);
}
