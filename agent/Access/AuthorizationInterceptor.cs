using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mizan.Agent.Access;

/// <summary>
/// Refuses, with PERMISSION_DENIED naming the missing right, a call the caller's role does not allow
/// (<see cref="CallRights"/>). Runs after authentication and request validation, so the app it reads from the request
/// (the "app" field, through the protobuf descriptor) is already a well-formed name.
/// </summary>
public sealed class AuthorizationInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context, RequestFields.Text(request, "app"));
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context, RequestFields.Text(request, "app"));
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context, app: null);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context, app: null);
        return continuation(requestStream, responseStream, context);
    }

    private static void Authorize(ServerCallContext context, string? app)
    {
        var caller = Caller.Of(context) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the caller is unknown"));
        if (CallRights.Refusal(caller, context.Method, app) is { } refusal)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, refusal));
        }
    }
}
