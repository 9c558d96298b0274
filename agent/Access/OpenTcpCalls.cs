using Grpc.Core;

namespace Mizan.Agent.Access;

/// <summary>
/// The calls open over TCP, by the thumbprint of the certificate that made them, so a reload that revokes a
/// certificate also ends what it already has open: a watch stream or a long call would otherwise outlive the trust.
/// </summary>
public sealed class OpenTcpCalls
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<OpenCall>> byThumbprint = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return byThumbprint.Values.Sum(calls => calls.Count);
            }
        }
    }

    /// <summary>Registers the call; the scope's context is cancelled when the call's certificate is revoked, and disposing it forgets the call.</summary>
    /// <param name="closed">Runs when the call ends, after it is forgotten.</param>
    public ICallScope Open(string thumbprint, ServerCallContext context, Action? closed = null)
    {
        var key = Thumbprints.Normalize(thumbprint);
        var call = new OpenCall(this, key, context, closed);
        lock (gate)
        {
            if (!byThumbprint.TryGetValue(key, out var calls))
            {
                calls = [];
                byThumbprint[key] = calls;
            }

            calls.Add(call);
        }

        return call;
    }

    /// <summary>Ends every open call whose certificate <paramref name="trust"/> no longer holds; returns how many.</summary>
    public int EndUntrusted(TrustList trust)
    {
        List<OpenCall> revoked;
        lock (gate)
        {
            revoked = [.. byThumbprint.Where(pair => trust.Find(pair.Key) is null).SelectMany(pair => pair.Value)];
        }

        // Outside the lock: cancelling runs the handlers' continuations, which may end their calls and come back here.
        foreach (var call in revoked)
        {
            call.Revoke();
        }

        return revoked.Count;
    }

    private void Forget(OpenCall call)
    {
        lock (gate)
        {
            if (byThumbprint.TryGetValue(call.Thumbprint, out var calls) && calls.Remove(call) && calls.Count == 0)
            {
                byThumbprint.Remove(call.Thumbprint);
            }
        }
    }

    private sealed class OpenCall : ICallScope
    {
        private readonly OpenTcpCalls registry;
        private readonly CancellationTokenSource cancellation;
        private readonly Action? closed;
        private int revoked;

        public OpenCall(OpenTcpCalls registry, string thumbprint, ServerCallContext context, Action? closed)
        {
            this.registry = registry;
            this.closed = closed;
            Thumbprint = thumbprint;
            cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            Context = new RevocableCallContext(context, cancellation.Token);
        }

        public string Thumbprint { get; }

        public ServerCallContext Context { get; }

        public void Revoke()
        {
            Interlocked.Exchange(ref revoked, 1);
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended on its own meanwhile.
            }
        }

        // However the handler ended (cancelled, or returning as a health watch does), a revoked call ends refused.
        public RpcException? Replace(Exception? ended) => Volatile.Read(ref revoked) == 0
            ? null
            : new RpcException(new Status(
                StatusCode.Unauthenticated,
                $"client certificate {Thumbprints.Prefix(Thumbprint)} is no longer trusted (the trust list was reloaded), so this call was ended; " +
                    "call again with a trusted certificate"));

        public void Dispose()
        {
            registry.Forget(this);
            cancellation.Dispose();
            closed?.Invoke();
        }
    }
}
