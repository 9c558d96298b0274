using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Tests.Doubles;

/// <summary>
/// The kernel's nftables in memory, for the one table the agent writes: a transaction replaces its redirects whole or,
/// when <see cref="Refuses"/>, changes nothing; a list answers as `nft -j` does. <see cref="Flush"/> is
/// `systemctl restart nftables` behind the agent's back.
/// </summary>
public sealed partial class FakeNftables : INftables
{
    private readonly Lock gate = new();
    private Dictionary<int, int>? redirects;

    /// <summary>Every transaction refuses with this error (e.g. "Operation not permitted"); null accepts.</summary>
    public string? Refuses { get; set; }

    /// <summary>Runs inside every transaction that changes the table (e.g. a test's clock moving on while it is written).</summary>
    public Action? OnWrite { get; set; }

    /// <summary>How many transactions changed the table.</summary>
    public int Transactions { get; private set; }

    /// <summary>Front port to slot port as the kernel holds them; null when the table does not exist.</summary>
    public IReadOnlyDictionary<int, int>? Redirects
    {
        get
        {
            lock (gate)
            {
                return redirects is null ? null : new Dictionary<int, int>(redirects);
            }
        }
    }

    public void Flush()
    {
        lock (gate)
        {
            redirects = null;
        }
    }

    public NftablesResult Run(string commands, bool jsonOutput)
    {
        lock (gate)
        {
            if (commands.StartsWith("list table", StringComparison.Ordinal))
            {
                return redirects is null
                    ? new NftablesResult(false, "", "Error: No such file or directory\nlist table ip t\n")
                    : new NftablesResult(true, Json(redirects), "");
            }

            if (Refuses is { } error)
            {
                return new NftablesResult(false, "", error);
            }

            redirects = Rule().Matches(commands).ToDictionary(
                m => int.Parse(m.Groups["front"].Value, CultureInfo.InvariantCulture),
                m => int.Parse(m.Groups["slot"].Value, CultureInfo.InvariantCulture));
            Transactions++;
            OnWrite?.Invoke();
            return new NftablesResult(true, "", "");
        }
    }

    [GeneratedRegex("ip daddr 127\\.0\\.0\\.1 tcp dport (?<front>\\d+) redirect to :(?<slot>\\d+)")]
    private static partial Regex Rule();

    private static string Json(Dictionary<int, int> redirects)
    {
        var text = new StringBuilder("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}, {\"table\": {\"family\": \"ip\", \"name\": \"t\"}}, ");
        text.Append("{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"output\", \"type\": \"nat\", \"hook\": \"output\", \"prio\": -100}}");
        foreach (var (front, slot) in redirects)
        {
            text.Append(CultureInfo.InvariantCulture,
                $", {{\"rule\": {{\"expr\": [{{\"match\": {{\"op\": \"==\", \"left\": {{\"payload\": {{\"protocol\": \"ip\", \"field\": \"daddr\"}}}}, \"right\": \"127.0.0.1\"}}}}, " +
                $"{{\"match\": {{\"op\": \"==\", \"left\": {{\"payload\": {{\"protocol\": \"tcp\", \"field\": \"dport\"}}}}, \"right\": {front}}}}}, {{\"redirect\": {{\"port\": {slot}}}}}]}}}}");
        }

        return text.Append("]}").ToString();
    }
}
