using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mizan.Agent.Runtime.Traffic.Redirect;

/// <summary>One rule of the agent's table: new connections to 127.0.0.1:FrontPort go to 127.0.0.1:SlotPort.</summary>
public sealed record PortRedirect(string App, int FrontPort, int SlotPort);

/// <summary>
/// The nftables table the agent owns, always written whole: one nat chain on the output hook (nginx's connections to
/// 127.0.0.1 leave through it) with a redirect per front port. Conntrack keeps an open connection where it was, so
/// a change moves new connections only.
/// </summary>
public static class RedirectTable
{
    /// <summary>
    /// One transaction that replaces the table whatever it holds: creating it first makes the delete valid when it is
    /// missing (after `flush ruleset`, say). The kernel applies all of it or none, so no packet sees a half-written table.
    /// </summary>
    public static string Render(string table, IEnumerable<PortRedirect> redirects)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"table ip {table} {{}}\ndelete table ip {table}\n");
        text.Append(CultureInfo.InvariantCulture, $"table ip {table} {{\n    chain output {{\n        type nat hook output priority -100; policy accept;\n");
        foreach (var redirect in redirects.OrderBy(r => r.FrontPort))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"        ip daddr 127.0.0.1 tcp dport {redirect.FrontPort} redirect to :{redirect.SlotPort} comment \"{redirect.App}\"\n");
        }

        return text.Append("    }\n}\n").ToString();
    }

    public static string List(string table) => $"list table ip {table}\n";

    /// <summary>
    /// Front port to slot port, as the kernel holds them (`nft -j list table`). A rule this table would not write, or
    /// a chain that is not the nat output hook, makes it unreadable: null, so it gets rewritten.
    /// </summary>
    public static IReadOnlyDictionary<int, int>? ReadRedirects(string json)
    {
        using var document = JsonDocument.Parse(json);
        var redirects = new Dictionary<int, int>();
        var hooked = false;
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var chain))
            {
                hooked = chain.TryGetProperty("hook", out var hook) && hook.GetString() == "output"
                    && chain.TryGetProperty("type", out var type) && type.GetString() == "nat";
            }
            else if (item.TryGetProperty("rule", out var rule))
            {
                if (ReadRule(rule) is not var (front, slot) || !redirects.TryAdd(front, slot))
                {
                    return null;
                }
            }
        }

        return hooked || redirects.Count == 0 ? redirects : null;
    }

    private static (int Front, int Slot)? ReadRule(JsonElement rule)
    {
        string? address = null;
        int? front = null, slot = null;
        foreach (var expression in rule.GetProperty("expr").EnumerateArray())
        {
            if (expression.TryGetProperty("match", out var match)
                && match.GetProperty("left").TryGetProperty("payload", out var payload)
                && payload.TryGetProperty("field", out var field))
            {
                var right = match.GetProperty("right");
                if (field.GetString() == "daddr" && right.ValueKind == JsonValueKind.String)
                {
                    address = right.GetString();
                }
                else if (field.GetString() == "dport" && right.ValueKind == JsonValueKind.Number)
                {
                    front = right.GetInt32();
                }
            }
            else if (expression.TryGetProperty("redirect", out var redirect) && redirect.TryGetProperty("port", out var port)
                && port.ValueKind == JsonValueKind.Number)
            {
                slot = port.GetInt32();
            }
        }

        return address == "127.0.0.1" && front is { } f && slot is { } s ? (f, s) : null;
    }
}
