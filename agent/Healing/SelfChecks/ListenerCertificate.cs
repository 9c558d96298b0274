using System.Security.Cryptography.X509Certificates;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>The certificate the mutual-TLS listener presents, for the expiry check; null when the listener is off (no client is trusted).</summary>
public sealed class ListenerCertificate(X509Certificate2? certificate)
{
    public X509Certificate2? Certificate { get; } = certificate;
}
