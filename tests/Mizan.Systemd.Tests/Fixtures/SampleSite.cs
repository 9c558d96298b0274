namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>
/// One app for one machine: a unique name (containers on the shared engine never collide), free ports, an nginx site
/// in the machine proxying to the app's upstream, and an agent configuration declaring it (Nginx:Mode Helper, as
/// install.sh's default). With <see cref="Redirect"/> the agent runs in Traffic:Mode Redirect with a table of this
/// site's own and a range of free front ports.
/// </summary>
public sealed class SampleSite
{
    /// <summary>The default of Apps:NAME:Upstream:FrontPorts: the app takes these and one backup port.</summary>
    public const int FrontPortCount = 10;

    private SampleSite(string app, int sitePort, int bluePort, int greenPort, SampleImages images, RedirectSettings? redirect)
    {
        App = app;
        SitePort = sitePort;
        BluePort = bluePort;
        GreenPort = greenPort;
        Images = images;
        Redirect = redirect;
    }

    /// <summary>Traffic:Mode Redirect: the agent's nftables table and the app's first front port.</summary>
    public sealed record RedirectSettings(string Table, int FrontPort)
    {
        /// <summary>The primaries, then the backup.</summary>
        public IEnumerable<int> Ports => Enumerable.Range(FrontPort, FrontPortCount + 1);
    }

    public string App { get; }

    public int SitePort { get; }

    public int BluePort { get; }

    public int GreenPort { get; }

    public SampleImages Images { get; }

    /// <summary>Null: Traffic:Mode Reload (the default).</summary>
    public RedirectSettings? Redirect { get; }

    public string Image(string version) => $"{Images.Repository}:{version}";

    /// <summary>Writes the nginx site and the agent's configuration into the machine (before install.sh, which keeps it).</summary>
    /// <param name="redirect">
    /// true: Traffic:Mode Redirect, with a table named mizan_ and a unique id (the machine shares the host's network
    /// namespace, so the table is the host's; the machine deletes it when disposed) and free front ports.
    /// </param>
    public static async Task<SampleSite> PrepareAsync(SystemdMachine machine, CancellationToken cancellationToken, bool redirect = false)
    {
        var images = await SampleImages.GetAsync(cancellationToken);
        RedirectSettings? settings = null;
        if (redirect)
        {
            // 20000-29999: below the ephemeral range and apart from the integration suite's blocks, which may be taken meanwhile.
            settings = new RedirectSettings($"mizan_{Guid.NewGuid():N}"[..18], FreePorts.NextBlock(FrontPortCount + 1, 20_000, 30_000));
            machine.OwnsTable(settings.Table);
        }

        var site = new SampleSite($"web-{Guid.NewGuid():N}"[..12], FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), images, settings);
        machine.Owns(site.App);
        await machine.WriteFileAsync($"/etc/nginx/conf.d/{site.App}.conf", $$"""
            include /etc/nginx/mizan/*.conf;
            server {
                listen 127.0.0.1:{{site.SitePort}};
                location / {
                    proxy_pass http://{{site.Upstream}};
                    add_header X-Mizan-Upstream $upstream_addr always;
                }
            }
            """, cancellationToken);
        await machine.WriteFileAsync(
            $"/etc/nginx/mizan/{site.App}.conf",
            $"upstream {site.Upstream} {{ server 127.0.0.1:{site.BluePort}; }}\n",
            cancellationToken);
        await machine.MustAsync("systemctl reload nginx", cancellationToken);
        await machine.WriteFileAsync("/etc/mizan-agent/agent.json", site.AgentConfiguration(), cancellationToken);
        return site;
    }

    public string Upstream => App.Replace('-', '_') + "_backend";

    public string AgentConfiguration(string pullTimeout = "00:05:00") => $$"""
        // written by the systemd test suite
        {
          "Agent": { "PullTimeout": "{{pullTimeout}}" },
          "Nginx": { "Mode": "Helper" },{{TrafficSection}}
          "Apps": {
            "{{App}}": {
              "Image": "{{Images.Repository}}",
              "BluePort": {{BluePort}},
              "GreenPort": {{GreenPort}},
              "Health": { "Path": "/health", "Interval": "00:00:00.200", "SuccessesNeeded": 2 },
              "Verify": { "Url": "http://127.0.0.1:{{SitePort}}/" },
              "Upstream": { "Name": "{{Upstream}}", "File": "/etc/nginx/mizan/{{App}}.conf"{{FrontPortKey}} },
              "KeepStandbyFor": "00:00:00"
            }
          }
        }
        """;

    private string TrafficSection => Redirect is { } redirect
        ? $"\n  \"Traffic\": {{ \"Mode\": \"Redirect\", \"Table\": \"{redirect.Table}\" }},"
        : "";

    private string FrontPortKey => Redirect is { } redirect ? $", \"FrontPort\": {redirect.FrontPort}" : "";
}
