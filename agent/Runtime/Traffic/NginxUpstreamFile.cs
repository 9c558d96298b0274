using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mizan.Agent.Apps;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Runtime.Traffic;

/// <summary>Renders and reads the upstream file the agent owns for one app.</summary>
public static partial class NginxUpstreamFile
{
    [GeneratedRegex("^# mizan: app=(?<app>\\S+) slot=(?<slot>blue|green)\\b", RegexOptions.Multiline)]
    private static partial Regex Marker();

    /// <summary>Traffic:Mode Reload: the live slot's port, the one server of the upstream.</summary>
    public static string Render(string app, string upstreamName, Slot slot, int port) =>
        $$"""
        # Managed by mizan-agent: rewritten on every switch of app '{{app}}'. Do not edit by hand.
        # mizan: app={{app}} slot={{slot.Name()}} port={{port.ToString(CultureInfo.InvariantCulture)}}
        upstream {{upstreamName}} {
            server 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
        }

        """;

    /// <summary>
    /// Traffic:Mode Redirect: the app's fixed front ports, written once and never again for a switch. Where each port
    /// leads is the agent's nftables table; without `keepalive` here every request opens a new upstream connection, so
    /// it follows a redirect changed a moment before.
    /// </summary>
    public static string RenderFrontPorts(string app, string upstreamName, FrontPorts ports)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Managed by mizan-agent (Traffic:Mode Redirect) for app '{app}'. Do not edit by hand.\n");
        text.Append("# Traffic moves by the agent's nftables redirects from these ports to a slot: this file does not change on a switch.\n");
        text.Append(CultureInfo.InvariantCulture, $"# mizan: app={app} front={ports.First}-{ports.Backup}\n");
        text.Append(CultureInfo.InvariantCulture, $"upstream {upstreamName} {{\n");
        foreach (var port in ports.Primaries)
        {
            text.Append(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{port} max_fails=0;\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{ports.Backup} backup max_fails=0;\n");
        return text.Append("}\n").ToString();
    }

    [GeneratedRegex("^# mizan: app=\\S+ front=\\d+-\\d+$", RegexOptions.Multiline)]
    private static partial Regex FrontPortsMarker();

    /// <summary>True for a file the redirect mode wrote, which leads to front ports rather than to a slot.</summary>
    public static bool IsFrontPorts(string content) => FrontPortsMarker().IsMatch(content);

    /// <summary>The route recorded in a reload-mode file the agent wrote, or null for any other file.</summary>
    public static TrafficRoute? ReadRoute(string content)
    {
        var match = Marker().Match(content);
        return match.Success && SlotNames.TryParse(match.Groups["slot"].Value, out var slot) ? new TrafficRoute(slot) : null;
    }
}
