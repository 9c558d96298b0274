using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Tests.Runtime.Traffic.Redirect;

public class RedirectTableTests
{
    // What `nft -j list table ip t` printed on nftables 1.0.6 for one rule the agent wrote.
    private const string Listed = """
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
        {"table": {"family": "ip", "name": "t", "handle": 2}},
        {"chain": {"family": "ip", "table": "t", "name": "output", "handle": 1, "type": "nat", "hook": "output", "prio": -100, "policy": "accept"}},
        {"rule": {"family": "ip", "table": "t", "chain": "output", "handle": 2, "comment": "web", "expr": [
          {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "127.0.0.1"}},
          {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 18700}},
          {"redirect": {"port": 18081}}]}}]}
        """;

    [Fact]
    public void Render_TwoRedirects_ReplacesTheWholeTableInOneTransactionMatchingOnly127001()
    {
        var text = RedirectTable.Render("t", [new PortRedirect("web", 18701, 18082), new PortRedirect("web", 18700, 18081)]);

        Assert.StartsWith("table ip t {}\ndelete table ip t\ntable ip t {\n", text, StringComparison.Ordinal);
        Assert.Contains("type nat hook output priority -100; policy accept;", text, StringComparison.Ordinal);
        var first = text.IndexOf("ip daddr 127.0.0.1 tcp dport 18700 redirect to :18081 comment \"web\"", StringComparison.Ordinal);
        var second = text.IndexOf("ip daddr 127.0.0.1 tcp dport 18701 redirect to :18082 comment \"web\"", StringComparison.Ordinal);
        Assert.InRange(first, 0, second);
    }

    [Fact]
    public void ReadRedirects_ListedTable_ReturnsFrontPortToSlotPort()
    {
        Assert.Equal(new Dictionary<int, int> { [18700] = 18081 }, RedirectTable.ReadRedirects(Listed));
    }

    [Fact]
    public void ReadRedirects_RuleForAnotherAddress_IsUnreadable()
    {
        Assert.Null(RedirectTable.ReadRedirects(Listed.Replace("\"right\": \"127.0.0.1\"", "\"right\": \"10.0.0.1\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReadRedirects_ChainOnAnotherHook_IsUnreadable()
    {
        Assert.Null(RedirectTable.ReadRedirects(Listed.Replace("\"hook\": \"output\"", "\"hook\": \"prerouting\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReadRedirects_EmptyTable_HasNoRedirects()
    {
        Assert.Empty(RedirectTable.ReadRedirects("{\"nftables\": [{\"metainfo\": {}}, {\"table\": {\"family\": \"ip\", \"name\": \"t\"}}]}")!);
    }
}
