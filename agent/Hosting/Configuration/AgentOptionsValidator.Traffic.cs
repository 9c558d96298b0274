using System.Text.RegularExpressions;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Hosting.Configuration;

public static partial class AgentOptionsValidator
{
    // nft accepts longer names; this keeps the name one word that needs no quoting in a ruleset.
    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}\\z")]
    private static partial Regex TableNamePattern();

    /// <summary>Runs after the apps, so <paramref name="ports"/> already holds every slot port and a front port may not reuse one.</summary>
    private static void ValidateTraffic(List<string> errors, TrafficOptions traffic, Dictionary<string, AppOptions> apps, Dictionary<int, string> ports)
    {
        if (!TableNamePattern().IsMatch(traffic.Table))
        {
            errors.Add($"Traffic:Table: '{traffic.Table}' must be 1-32 lowercase letters, digits or '_', starting with a letter");
        }

        if (traffic.Mode != TrafficMode.Redirect)
        {
            return;
        }

        foreach (var (name, app) in apps)
        {
            var key = $"Apps:{name}:Upstream";
            if (app.Upstream.FrontPorts is < 1 or > 100)
            {
                errors.Add($"{key}:FrontPorts: {app.Upstream.FrontPorts} is out of range 1-100 (10 gives weights in steps of 10 %)");
                continue;
            }

            // The primaries and, after them, the backup.
            var last = app.Upstream.FrontPort + app.Upstream.FrontPorts;
            if (app.Upstream.FrontPort < 1 || last > 65535)
            {
                errors.Add($"{key}:FrontPort: Traffic:Mode Redirect needs the first of {app.Upstream.FrontPorts + 1} free ports on 127.0.0.1 " +
                    $"(FrontPorts primaries and one backup), within 1-65535; got {app.Upstream.FrontPort}");
                continue;
            }

            for (var port = app.Upstream.FrontPort; port <= last; port++)
            {
                if (!ports.TryAdd(port, $"{key}:FrontPort"))
                {
                    errors.Add($"{key}:FrontPort: its range {app.Upstream.FrontPort}-{last} includes port {port}, already used by {ports[port]}");
                    break;
                }
            }
        }
    }
}
