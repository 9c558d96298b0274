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
}

public sealed class TcpListenerOptions
{
    public string Address { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 7443;

    /// <summary>A PKCS#12 file with the server certificate and key; empty means one generated on first start in the data directory.</summary>
    public string CertificatePath { get; set; } = "";

    public string CertificatePassword { get; set; } = "";
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
