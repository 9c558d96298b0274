using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// The nftables tables (family ip) the agents of Traffic:Mode Redirect scenarios own, one per test. A name tells the
/// run and its age: "mizan_t", the run's start in minutes since 1970 (7 hex digits), the first 6 hex digits of the
/// run's id, "_" and the test's short id, e.g. mizan_t1c3a5f0a1b2c3d_0123abcd (29 characters; the agent takes 32).
/// A test deletes its own table; the end of the run deletes every table of the run, the start of a run those of runs
/// older than <see cref="RunCleanup.StaleAfter"/>. Only these names are ever touched.
/// </summary>
public static partial class TrafficTables
{
    public const string Prefix = "mizan_t";

    /// <summary>The start of every table name of this run.</summary>
    public static readonly string RunPrefix = string.Create(
        CultureInfo.InvariantCulture,
        $"{Prefix}{TestRun.StartedAt.ToUnixTimeSeconds() / 60:x7}{TestRun.Id[..6]}_");

    public static string NewName() => RunPrefix + TestRun.NewShortId();

    /// <summary>`nft -j list table ip NAME`, or null when there is no such table.</summary>
    public static async Task<string?> ListJsonAsync(string table, CancellationToken cancellationToken)
    {
        var result = await NftAsync(["-j", "list", "table", "ip", table], cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput
            : IsMissing(result) ? null
            : throw new InvalidOperationException($"nft list table ip {table} failed: {result}");
    }

    /// <summary>Front port to slot port, as the kernel holds the table's redirects now; empty when there is no table.</summary>
    public static async Task<IReadOnlyDictionary<int, int>> RedirectsAsync(string table, CancellationToken cancellationToken) =>
        await ListJsonAsync(table, cancellationToken) is { } json ? ReadRedirects(json) : new Dictionary<int, int>();

    /// <summary>The redirects of `nft -j list table` output: "ip daddr 127.0.0.1 tcp dport FRONT redirect to :SLOT".</summary>
    public static IReadOnlyDictionary<int, int> ReadRedirects(string json)
    {
        using var document = JsonDocument.Parse(json);
        var redirects = new SortedDictionary<int, int>();
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("rule", out var rule))
            {
                continue;
            }

            int? front = null, slot = null;
            foreach (var expression in rule.GetProperty("expr").EnumerateArray())
            {
                if (expression.TryGetProperty("match", out var match)
                    && match.GetProperty("left").TryGetProperty("payload", out var payload)
                    && payload.GetProperty("field").GetString() == "dport")
                {
                    front = match.GetProperty("right").GetInt32();
                }
                else if (expression.TryGetProperty("redirect", out var redirect))
                {
                    slot = redirect.GetProperty("port").GetInt32();
                }
            }

            if (front is { } f && slot is { } s)
            {
                redirects[f] = s;
            }
        }

        return redirects;
    }

    /// <summary>`nft delete table ip NAME`; a table that is already gone is fine.</summary>
    public static async Task DeleteAsync(string table, CancellationToken cancellationToken)
    {
        var result = await NftAsync(["delete", "table", "ip", table], cancellationToken);
        if (result.ExitCode != 0 && !IsMissing(result))
        {
            throw new InvalidOperationException($"nft delete table ip {table} failed: {result}");
        }
    }

    /// <summary>
    /// `nft flush table ip NAME`: every rule of that one table goes, its chains stay. Never `flush ruleset`: other tests'
    /// tables share the host's network namespace.
    /// </summary>
    public static async Task FlushAsync(string table, CancellationToken cancellationToken) =>
        (await NftAsync(["flush", "table", "ip", table], cancellationToken)).EnsureSuccess();

    /// <summary>Deletes this run's tables (a test that crashed before its dispose leaves one); returns their names.</summary>
    public static Task<IReadOnlyList<string>> DeleteThisRunsAsync(CancellationToken cancellationToken) =>
        DeleteWhereAsync(name => name.StartsWith(RunPrefix, StringComparison.Ordinal), cancellationToken);

    /// <summary>Deletes the tables of earlier runs older than <paramref name="staleAfter"/> (left when a run was killed).</summary>
    public static Task<IReadOnlyList<string>> DeleteStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken) =>
        DeleteWhereAsync(
            name => !name.StartsWith(RunPrefix, StringComparison.Ordinal)
                && StartedAt(name) is { } started
                && DateTimeOffset.UtcNow - started > staleAfter,
            cancellationToken);

    /// <summary>When the run that made <paramref name="table"/> started, or null for a name this suite does not make.</summary>
    public static DateTimeOffset? StartedAt(string table) =>
        TableName().Match(table) is { Success: true } match
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(match.Groups["minutes"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) * 60)
            : null;

    private static async Task<IReadOnlyList<string>> DeleteWhereAsync(Func<string, bool> select, CancellationToken cancellationToken)
    {
        if (!Installed)
        {
            return [];
        }

        var listing = await NftAsync(["-j", "list", "tables", "ip"], cancellationToken);
        if (listing.ExitCode != 0)
        {
            return [];
        }

        var names = new List<string>();
        using (var document = JsonDocument.Parse(listing.StandardOutput))
        {
            foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
            {
                if (item.TryGetProperty("table", out var table) && table.GetProperty("name").GetString() is { } name && select(name))
                {
                    names.Add(name);
                }
            }
        }

        foreach (var name in names)
        {
            await DeleteAsync(name, cancellationToken);
        }

        return names;
    }

    private static bool Installed => File.Exists("/usr/sbin/nft");

    private static bool IsMissing(ProcessResult result) => result.StandardError.Contains("No such file or directory", StringComparison.Ordinal);

    private static Task<ProcessResult> NftAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("nft", arguments, cancellationToken, TimeSpan.FromSeconds(10));

    [GeneratedRegex("^mizan_t(?<minutes>[0-9a-f]{7})[0-9a-f]{6}_[0-9a-f]{8}$")]
    private static partial Regex TableName();
}
