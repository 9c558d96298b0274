using System.Globalization;
using System.Text.Json;
using Mizan.Systemd.Tests.Fixtures;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// Traffic:Mode Redirect under the hardened unit: the agent holds CAP_NET_ADMIN (ambient, and the only one in its
/// bounding set) and writes its own nftables table through libnftables. The first deploy points nginx at the app's
/// front ports (its one nginx reload); the second moves every front port's redirect to the new slot with nginx's workers
/// and the helper's reload count unchanged, and requests through nginx answer from the new slot via a front port.
/// </summary>
public sealed class TheHardenedAgentSwitchesTrafficWithNftablesWithoutReloadingNginx(ITestOutputHelper output) : SystemdScenario(output)
{
    // CAP_NET_ADMIN is capability 12: the mask /proc/PID/status shows when it is the only one.
    private const string NetAdminOnly = "0000000000001000";

    [Fact]
    public async Task Run()
    {
        var site = await SampleSite.PrepareAsync(Machine, Cancellation, redirect: true);
        var redirect = site.Redirect!;
        (await InstallFromTarballAsync()).EnsureSuccess();

        Assert.Equal(
            "CapabilityBoundingSet=cap_net_admin\nAmbientCapabilities=cap_net_admin",
            await Machine.MustAsync("systemctl show -p AmbientCapabilities -p CapabilityBoundingSet mizan-agent", Cancellation));
        var pid = await Machine.AgentPidAsync(Cancellation);
        var capabilities = await Machine.MustAsync($"grep -E '^Cap(Eff|Bnd|Amb):' /proc/{pid}/status", Cancellation);
        Assert.Equal($"CapEff:\t{NetAdminOnly}\nCapBnd:\t{NetAdminOnly}\nCapAmb:\t{NetAdminOnly}", capabilities);
        Assert.Equal("mizan-agent", await Machine.MustAsync($"stat -c %U /proc/{pid}", Cancellation));

        var beforeFirst = await NginxWorkersAsync();
        await DeployAsync(site, "v1");
        Assert.Equal("v1", await ServedVersionAsync(site));
        // No standby yet: the backup leads to the live slot too.
        Assert.Equal(Expected(redirect, site.BluePort, backupPort: site.BluePort), await RedirectsAsync(redirect.Table));
        var upstream = await Machine.MustAsync($"cat /etc/nginx/mizan/{site.App}.conf", Cancellation);
        Assert.Contains($"server 127.0.0.1:{redirect.FrontPort} max_fails=0;", upstream, StringComparison.Ordinal);
        Assert.Contains($"server 127.0.0.1:{redirect.FrontPort + SampleSite.FrontPortCount} backup max_fails=0;", upstream, StringComparison.Ordinal);

        // The first move in this mode rewrites the upstream file to the front ports: one reload, new workers. Once the
        // old workers are gone, what is left is the set the second deploy must not change.
        await Eventually.TrueAsync("nginx's workers from before the first deploy to exit", TimeSpan.FromSeconds(30), async () =>
            !(await NginxWorkersAsync()).Overlaps(beforeFirst));
        var afterFirst = await NginxWorkersAsync();
        var reloadsAfterFirst = await HelperReloadsAsync();
        Assert.True(reloadsAfterFirst >= 1, "the first deploy in Redirect mode reloads nginx once, through the helper");

        await DeployAsync(site, "v2");
        Assert.Equal("v2", await ServedVersionAsync(site));
        // Every primary leads to v2, and so does the backup: the site keeps no standby (KeepStandbyFor 0), so v1 was
        // stopped and may not take over.
        Assert.Equal(Expected(redirect, site.GreenPort, backupPort: site.GreenPort), await RedirectsAsync(redirect.Table));
        Assert.Equal(upstream, await Machine.MustAsync($"cat /etc/nginx/mizan/{site.App}.conf", Cancellation));
        var servedBy = await Machine.MustAsync(
            $"curl -fsS -o /dev/null -D - http://127.0.0.1:{site.SitePort}/ | tr -d '\\r' | sed -n 's/^X-Mizan-Upstream: //ip'",
            Cancellation);
        Assert.Contains(servedBy, redirect.Ports.Take(SampleSite.FrontPortCount).Select(port => $"127.0.0.1:{port}"));

        // Not reloaded by the second switch: the same workers under the same master, and no new reload asked of the
        // helper (its journal line may trail the call by a moment, hence the pause).
        await Machine.MustAsync("sleep 2", Cancellation);
        Assert.Equal(afterFirst, await NginxWorkersAsync());
        Assert.Equal(reloadsAfterFirst, await HelperReloadsAsync());
        Output.WriteLine($"MEASURED nginx reloads through the helper: {reloadsAfterFirst} for two deploys; workers kept: {string.Join(' ', afterFirst)}");

        var journal = await Machine.MustAsync("journalctl -u mizan-agent --no-pager -o cat", Cancellation);
        Assert.Contains($"Routed {site.App}: slot green", journal, StringComparison.Ordinal);
        Assert.Contains($"(nftables table ip {redirect.Table})", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation not permitted", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be restored", journal, StringComparison.Ordinal);

        // The self-checks attribute nginx's answer (a front port) to the live slot through the agent's routes.
        await Eventually.TrueAsync("mizanctl health to pass", TimeSpan.FromSeconds(45), async () =>
            (await Machine.ShAsync("mizanctl health", Cancellation)).ExitCode == 0);
    }

    private static Dictionary<int, int> Expected(SampleSite.RedirectSettings redirect, int slotPort, int backupPort) =>
        redirect.Ports.Take(SampleSite.FrontPortCount).ToDictionary(port => port, _ => slotPort)
            .Append(new KeyValuePair<int, int>(redirect.FrontPort + SampleSite.FrontPortCount, backupPort))
            .ToDictionary();

    /// <summary>Front port to slot port, from `nft -j list table` in the machine (the host's table: host network).</summary>
    private async Task<Dictionary<int, int>> RedirectsAsync(string table)
    {
        using var listing = JsonDocument.Parse(await Machine.MustAsync($"nft -j list table ip {table}", Cancellation));
        var redirects = new Dictionary<int, int>();
        foreach (var item in listing.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("rule", out var rule))
            {
                continue;
            }

            int? front = null, slot = null;
            string? address = null;
            foreach (var expression in rule.GetProperty("expr").EnumerateArray())
            {
                if (expression.TryGetProperty("match", out var match) && match.GetProperty("left").TryGetProperty("payload", out var payload))
                {
                    var field = payload.GetProperty("field").GetString();
                    if (field == "daddr")
                    {
                        address = match.GetProperty("right").GetString();
                    }
                    else if (field == "dport")
                    {
                        front = match.GetProperty("right").GetInt32();
                    }
                }
                else if (expression.TryGetProperty("redirect", out var target))
                {
                    slot = target.GetProperty("port").GetInt32();
                }
            }

            // Every rule matches 127.0.0.1 only: the table sits in the host's namespace beside everything else.
            Assert.Equal("127.0.0.1", address);
            redirects.Add(front!.Value, slot!.Value);
        }

        Output.WriteLine($"table ip {table}: {string.Join(", ", redirects.Select(r => $"{r.Key}->{r.Value}"))}");
        return redirects;
    }

    private async Task<SortedSet<int>> NginxWorkersAsync() =>
        [.. (await Machine.MustAsync("pgrep -P \"$(cat /run/nginx.pid)\"", Cancellation))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))];

    private async Task<int> HelperReloadsAsync() =>
        int.Parse(
            await Machine.MustAsync(
                "journalctl --no-pager -o cat -u 'mizan-nginx-control@*' | grep -c 'nginx reload: exit 0' || true",
                Cancellation),
            CultureInfo.InvariantCulture);
}
