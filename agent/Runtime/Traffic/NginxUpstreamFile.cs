using System.Globalization;
using System.Text.RegularExpressions;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>Renders and reads the upstream file the agent owns for one app.</summary>
public static partial class NginxUpstreamFile
{
    [GeneratedRegex("^# mizan: app=(?<app>\\S+) slot=(?<slot>blue|green)\\b", RegexOptions.Multiline)]
    private static partial Regex Marker();

    public static string Render(string app, string upstreamName, Slot slot, int port) =>
        $$"""
        # Managed by mizan-agent: rewritten on every switch of app '{{app}}'. Do not edit by hand.
        # mizan: app={{app}} slot={{slot.Name()}} port={{port.ToString(CultureInfo.InvariantCulture)}}
        upstream {{upstreamName}} {
            server 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
        }

        """;

    /// <summary>The live slot recorded in a file the agent wrote, or null for a file it did not write.</summary>
    public static Slot? ReadLiveSlot(string content)
    {
        var match = Marker().Match(content);
        return match.Success && SlotNames.TryParse(match.Groups["slot"].Value, out var slot) ? slot : null;
    }
}
