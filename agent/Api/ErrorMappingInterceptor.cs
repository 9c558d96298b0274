using Grpc.Core;
using Grpc.Core.Interceptors;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Api;

/// <summary>Turns the agent's error vocabulary into gRPC status codes, so every RPC means the same thing by the same code.</summary>
public sealed class ErrorMappingInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ToStatus(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ToStatus(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public static Status? ToStatus(Exception exception) => exception switch
    {
        InvalidRequestException => new Status(StatusCode.InvalidArgument, exception.Message),
        ConflictException => new Status(StatusCode.FailedPrecondition, exception.Message),
        DependencyUnavailableException => new Status(StatusCode.Unavailable, exception.Message),
        NotFoundException => new Status(StatusCode.NotFound, exception.Message),
        PermissionDeniedException => new Status(StatusCode.PermissionDenied, exception.Message),
        RateLimitedException => new Status(StatusCode.ResourceExhausted, exception.Message),
        _ => null,
    };
}
