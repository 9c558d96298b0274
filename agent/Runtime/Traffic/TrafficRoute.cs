using Mizan.Agent.Apps;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>
/// Where an app's requests go: the live slot, the share of them the other slot takes (a canary's weight, 0 after a
/// plain switch), and whether the other slot stands behind the live one as nginx's backup for instant failover.
/// </summary>
public sealed record TrafficRoute(Slot Live, int OtherPercent = 0, bool Backup = false)
{
    public Slot Other => Live.Other();

    public string Describe() =>
        (OtherPercent == 0 ? $"slot {Live.Name()}" : $"slot {Live.Name()} {100 - OtherPercent} %, slot {Other.Name()} {OtherPercent} %") +
        (Backup ? $", slot {Other.Name()} as backup" : "");
}

/// <summary>
/// Turns nginx's $upstream_addr (from X-Mizan-Upstream) into the slot that answered. In the reload mode an address is a
/// slot's own port; behind redirects it is a front port, and only the agent knows which slot that port pointed at.
/// </summary>
public sealed class SlotAttribution(IReadOnlyDictionary<string, Slot> slotsByAddress)
{
    /// <summary>
    /// The slot behind the address that answered, or null for one the agent does not know. nginx lists every server it
    /// tried ("a, b" after a failed connection, "a : b" across internal redirects); the last one answered.
    /// </summary>
    public Slot? SlotOf(string servedBy)
    {
        var last = servedBy.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).LastOrDefault(part => part != ":");
        return last is not null && slotsByAddress.TryGetValue(last, out var slot) ? slot : null;
    }

    /// <summary>True when the answer came from <paramref name="slot"/>; an answer without the header is taken as that slot's.</summary>
    public bool IsFrom(string? servedBy, Slot slot) => servedBy is null || SlotOf(servedBy) == slot;

    public static string Address(int port) => $"127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
