namespace Mizan.Agent.Apps.Options;

public enum NginxMode
{
    /// <summary>nginx runs on the host: tested and reloaded with its own binary.</summary>
    Host,

    /// <summary>nginx runs in a container: tested with docker exec and reloaded with SIGHUP.</summary>
    Container,

    /// <summary>
    /// nginx runs on the host and the agent does not run as root: `nginx -t` and `nginx -s reload` are asked of the
    /// root helper behind HelperSocket (systemd/mizan-nginx-control.socket), which runs only those two commands.
    /// </summary>
    Helper,
}

public sealed class NginxOptions
{
    public NginxMode Mode { get; set; } = NginxMode.Host;

    public string Binary { get; set; } = "/usr/sbin/nginx";

    /// <summary>Passed as -c when set; otherwise nginx uses its compiled-in default.</summary>
    public string ConfigFile { get; set; } = "";

    /// <summary>Container mode: the nginx container's name.</summary>
    public string ContainerName { get; set; } = "";

    /// <summary>Container mode: a "key=value" label that finds the nginx container when no name is given.</summary>
    public string ContainerLabel { get; set; } = "";

    /// <summary>Helper mode: the unix socket of mizan-nginx-control.socket.</summary>
    public string HelperSocket { get; set; } = "/run/mizan-nginx-control.sock";

    /// <summary>How long one nginx test or reload may take.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
