using Mizan.Agent.V1;

namespace Mizan.Control.Output;

/// <summary>"blue 90 %, green 10 %", or the one slot that takes everything.</summary>
public static class TrafficText
{
    public static string Of(TrafficSplit? traffic) => traffic switch
    {
        null => "-",
        { OtherPercent: 0 } => $"{traffic.LiveSlot} 100 %",
        { LivePercent: 0 } => $"{traffic.OtherSlot} 100 % (live: {traffic.LiveSlot})",
        _ => $"{traffic.LiveSlot} {traffic.LivePercent} %, {traffic.OtherSlot} {traffic.OtherPercent} %",
    };
}
