using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mizan.Agent.Access;

/// <summary>
/// What an interceptor holds for one call, from its start to its end: a permit, a registration. Disposed when the
/// call ends, however it ends.
/// </summary>
public interface ICallScope : IDisposable
{
    /// <summary>The context the call goes on with: the one it came with, or one wrapping it.</summary>
    ServerCallContext Context { get; }

    /// <summary>When the call has ended, with its exception (null when it returned): the error to end it with instead, or null to leave it.</summary>
    RpcException? Replace(Exception? ended);
}

/// <summary>
/// Runs every call shape (unary, and the three streaming ones) through one hook, <see cref="Begin"/>: it refuses a
/// call by throwing, or returns the scope the call holds until it ends (null for a call it leaves alone).
/// </summary>
public abstract class ScopedCallInterceptor : Interceptor
{
    protected abstract ICallScope? Begin(ServerCallContext context);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, callContext => continuation(request, callContext));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async callContext =>
        {
            await continuation(request, responseStream, callContext);
            return true;
        });

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, callContext => continuation(requestStream, callContext));

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async callContext =>
        {
            await continuation(requestStream, responseStream, callContext);
            return true;
        });

    private async Task<T> RunAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        var scope = Begin(context);
        if (scope is null)
        {
            return await call(context);
        }

        using (scope)
        {
            T result;
            try
            {
                result = await call(scope.Context);
            }
            catch (Exception ex) when (scope.Replace(ex) is { } instead)
            {
                throw instead;
            }

            return scope.Replace(null) is { } afterwards ? throw afterwards : result;
        }
    }
}
