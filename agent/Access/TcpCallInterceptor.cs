using Grpc.Core;

namespace Mizan.Agent.Access;

/// <summary>
/// Calls over the mutual-TLS listener: at most Security:Tcp:MaxStreamsPerConnection open at once on one connection
/// (Kestrel's HTTP/2 stream limit is server-wide, so it would bind the unix socket too), and each one registered with
/// <see cref="OpenTcpCalls"/>, so that revoking its certificate ends it. Runs after authentication; calls on the unix
/// socket pass untouched.
/// </summary>
public sealed class TcpCallInterceptor(OpenTcpCalls openCalls, TrustList trust) : ScopedCallInterceptor
{
    protected override ICallScope? Begin(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.Features.Get<TcpConnectionStreams>() is not { } streams || Caller.Of(context)?.Thumbprint is not { } thumbprint)
        {
            return null;
        }

        if (!streams.TryOpen())
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"this connection already has {streams.Max} calls open (Security:Tcp:MaxStreamsPerConnection); wait for one to end and try again"));
        }

        var call = openCalls.Open(thumbprint, context, streams.Close);
        // A reload between authentication and here found no call of this certificate to end: look again now that it is registered.
        if (trust.Find(thumbprint) is null)
        {
            openCalls.EndUntrusted(trust);
        }

        return call;
    }
}
