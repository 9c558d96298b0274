using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>
/// Establishes who is calling, for every call of every service, before anything else runs: on the unix socket from
/// the kernel's peer credentials (root and the local group are admin, anyone else is refused); on TCP from the client
/// certificate's SHA-256 thumbprint in the trust list as it is now (so a certificate removed by a reload is refused on
/// a connection opened before). The caller is attached to the call for the audit log and authorization.
/// </summary>
public sealed class AuthenticationInterceptor(TrustList trust, LocalAccess local, TimeProvider time) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = PeerCredentials.From(http) is { } peer ? Local(peer) : Remote(http);
        caller.AttachTo(context);
    }

    private Caller Local(PeerCredentials peer)
    {
        if (!local.IsAdmin(peer))
        {
            throw new RpcException(new Status(
                StatusCode.PermissionDenied,
                $"uid {peer.UserId.ToString(CultureInfo.InvariantCulture)} is not root nor in group {local.GroupName}"));
        }

        var name = peer.UserName ?? $"uid {peer.UserId.ToString(CultureInfo.InvariantCulture)}";
        return new Caller(name, null, Role.Admin, null, $"unix {peer.Describe()}", peer.User);
    }

    private Caller Remote(HttpContext http)
    {
        if (!http.Request.IsHttps)
        {
            // Only the unix socket and the mutual-TLS listener exist; this is a guard should another listener appear.
            throw new RpcException(new Status(StatusCode.Unauthenticated, "calls over TCP need mutual TLS"));
        }

        var certificate = http.Connection.ClientCertificate
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "a client certificate is required"));
        var thumbprint = Thumbprints.Of(certificate);
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            throw new RpcException(new Status(
                StatusCode.Unauthenticated,
                $"client certificate {Thumbprints.Prefix(thumbprint)} is outside its validity dates"));
        }

        var client = trust.Find(thumbprint)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, $"client certificate {Thumbprints.Prefix(thumbprint)} is not trusted"));
        return new Caller(
            client.Name,
            thumbprint,
            client.Role,
            client.Role == Role.Admin ? null : client.Apps,
            CallerIdentity.PeerOf(http),
            Caller.RemoteIdentity(client.Name, thumbprint));
    }
}
