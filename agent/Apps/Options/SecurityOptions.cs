namespace Mizan.Agent.Apps.Options;

public sealed class SecurityOptions
{
    /// <summary>On the unix socket, root and members of this group are admin; everyone else is refused.</summary>
    public string LocalGroup { get; set; } = "mizan";

    public TcpListenerOptions Tcp { get; set; } = new();

    /// <summary>The clients trusted over TCP, by certificate thumbprint. Re-read on SIGHUP.</summary>
    public List<TrustedClientOptions> Clients { get; set; } = [];

    /// <summary>Calls that change something, per caller per minute; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MutationsPerMinute { get; set; } = 30;

    /// <summary>
    /// Reading calls (status, history, watch, health, metrics, audit) one caller may have open at once; more are
    /// refused with RESOURCE_EXHAUSTED.
    /// </summary>
    public int ReadsInFlightPerCaller { get; set; } = 8;

    /// <summary>
    /// Refused changing calls written to the audit log one by one, per caller per minute; the rest of the minute's are
    /// counted in one row when the minute ends, so a flood of refusals cannot fill the disk.
    /// </summary>
    public int AuditedRefusalsPerMinute { get; set; } = 10;
}

public sealed class TcpListenerOptions
{
    public string Address { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 7443;

    /// <summary>A PKCS#12 file with the server certificate and key; empty means one generated on first start in the data directory.</summary>
    public string CertificatePath { get; set; } = "";

    public string CertificatePassword { get; set; } = "";

    /// <summary>Connections the mutual-TLS listener holds at once; one more is closed before its handshake. The unix socket is not counted.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Calls (HTTP/2 streams) open at once on one TCP connection; one more is refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxStreamsPerConnection { get; set; } = 16;
}

public sealed class TrustedClientOptions
{
    public string Name { get; set; } = "";

    public Role Role { get; set; } = Role.Viewer;

    /// <summary>SHA-256 thumbprints (hex) of the client's certificates; several allow rotation without downtime.</summary>
    public List<string> Thumbprints { get; set; } = [];

    /// <summary>For a deployer: the apps it may deploy; empty means none.</summary>
    public List<string> Apps { get; set; } = [];
}
