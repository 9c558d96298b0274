using Grpc.Core;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>
/// Who is calling, established once per call by authentication (client certificate on TCP, SO_PEERCRED on the unix
/// socket) and kept on the call for authorization, the limits and the audit log.
/// </summary>
/// <param name="DeployableApps">For a deployer: the apps it may change; null means all (admin).</param>
/// <param name="Identity">
/// Who the agent authenticated, as the limits count callers and the history records them:
/// "ci-github (thumbprint ab12cd34ef56…)" or "uid 0 (root)". Never what the client says about itself.
/// </param>
public sealed record Caller(string Name, string? Thumbprint, Role Role, IReadOnlySet<string>? DeployableApps, string Peer, string Identity)
{
    private const string Key = "mizan.caller";

    public static Caller? Of(ServerCallContext context) => context.UserState.TryGetValue(Key, out var caller) ? caller as Caller : null;

    public void AttachTo(ServerCallContext context) => context.UserState[Key] = this;

    public bool MayChange(string app) => Role == Role.Admin || (Role == Role.Deployer && (DeployableApps is null || DeployableApps.Contains(app)));

    public static string RemoteIdentity(string clientName, string thumbprint) => $"{clientName} (thumbprint {Thumbprints.Prefix(thumbprint)})";
}
