using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>
/// At most Security:MutationsPerMinute calls that change something, per caller: a leaked or looping CI credential
/// cannot hammer the server. Reading status is never limited. Over the limit: RESOURCE_EXHAUSTED with when to retry.
/// </summary>
public sealed class MutationRateLimitInterceptor : Interceptor, IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly int perMinute;

    public MutationRateLimitInterceptor(IOptions<AgentOptions> options)
    {
        perMinute = options.Value.Security.MutationsPerMinute;
        limiter = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetFixedWindowLimiter(
            caller,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    public void Dispose() => limiter.Dispose();

    private void Admit(ServerCallContext context)
    {
        if (!AuditedActions.ChangesSomething(context.Method))
        {
            return;
        }

        var caller = CallerIdentity.Of(context);
        using var lease = limiter.AttemptAcquire(caller);
        if (!lease.IsAcquired)
        {
            var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? $" in {after.TotalSeconds:0} s" : " within a minute";
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"{caller} made more than {perMinute} changing calls in a minute (Security:MutationsPerMinute); try again{retry}"));
        }
    }
}
