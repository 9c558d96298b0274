namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>
/// One app for one machine: a unique name (containers on the shared engine never collide), free ports, an nginx site
/// in the machine proxying to the app's upstream, and an agent configuration declaring it (Nginx:Mode Helper, as
/// install.sh's default).
/// </summary>
public sealed class SampleSite
{
    private SampleSite(string app, int sitePort, int bluePort, int greenPort, SampleImages images)
    {
        App = app;
        SitePort = sitePort;
        BluePort = bluePort;
        GreenPort = greenPort;
        Images = images;
    }

    public string App { get; }

    public int SitePort { get; }

    public int BluePort { get; }

    public int GreenPort { get; }

    public SampleImages Images { get; }

    public string Image(string version) => $"{Images.Repository}:{version}";

    /// <summary>Writes the nginx site and the agent's configuration into the machine (before install.sh, which keeps it).</summary>
    public static async Task<SampleSite> PrepareAsync(SystemdMachine machine, CancellationToken cancellationToken)
    {
        var images = await SampleImages.GetAsync(cancellationToken);
        var site = new SampleSite($"web-{Guid.NewGuid():N}"[..12], FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), images);
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
          "Nginx": { "Mode": "Helper" },
          "Apps": {
            "{{App}}": {
              "Image": "{{Images.Repository}}",
              "BluePort": {{BluePort}},
              "GreenPort": {{GreenPort}},
              "Health": { "Path": "/health", "Interval": "00:00:00.200", "SuccessesNeeded": 2 },
              "Verify": { "Url": "http://127.0.0.1:{{SitePort}}/" },
              "Upstream": { "Name": "{{Upstream}}", "File": "/etc/nginx/mizan/{{App}}.conf" },
              "KeepStandbyFor": "00:00:00"
            }
          }
        }
        """;
}
