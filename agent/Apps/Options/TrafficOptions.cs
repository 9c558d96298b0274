namespace Mizan.Agent.Apps.Options;

public enum TrafficMode
{
    /// <summary>Each move rewrites the app's upstream file and reloads nginx. For hosts without nftables.</summary>
    Reload,

    /// <summary>
    /// nginx's upstream lists fixed front ports on 127.0.0.1; the agent's nftables table redirects each to a slot, and a
    /// move rewrites that table in one atomic transaction. nginx is never reloaded, so keep-alive clients lose nothing.
    /// </summary>
    Redirect,
}

public sealed class TrafficOptions
{
    public TrafficMode Mode { get; set; } = TrafficMode.Reload;

    /// <summary>Redirect mode: the nftables table (family ip) the agent owns and rewrites whole; nothing else may use it.</summary>
    public string Table { get; set; } = "mizan";
}
