using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>
/// At most Security:ReadsInFlightPerCaller reading calls (status, history, watch, health, metrics, audit, reflection)
/// open at once per caller: reads are never rate limited, but a client that opens watch after watch, or polls without
/// waiting for its answers, cannot tie up the agent. One more is refused with RESOURCE_EXHAUSTED saying what to do.
/// </summary>
public sealed class ReadConcurrencyInterceptor : ScopedCallInterceptor, IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly int perCaller;

    public ReadConcurrencyInterceptor(IOptions<AgentOptions> options)
    {
        perCaller = options.Value.Security.ReadsInFlightPerCaller;
        limiter = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetConcurrencyLimiter(
            caller,
            _ => new ConcurrencyLimiterOptions { PermitLimit = perCaller, QueueLimit = 0 }));
    }

    public void Dispose() => limiter.Dispose();

    protected override ICallScope? Begin(ServerCallContext context)
    {
        if (CallRights.Required(context.Method) != Right.View)
        {
            return null;
        }

        var caller = CallerIdentity.Of(context);
        var lease = limiter.AttemptAcquire(caller);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"{caller} already has {perCaller} reading calls open (Security:ReadsInFlightPerCaller); " +
                    "wait for one to end (or close a watch you no longer read) and try again"));
        }

        return new Permit(context, lease);
    }

    private sealed class Permit(ServerCallContext context, RateLimitLease lease) : ICallScope
    {
        public ServerCallContext Context => context;

        public RpcException? Replace(Exception? ended) => null;

        public void Dispose() => lease.Dispose();
    }
}
