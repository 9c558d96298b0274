using Grpc.Core;
using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Tests.Access;

public sealed class TcpCallInterceptorTests
{
    private static readonly string Revoked = new('a', 64);
    private static readonly string Kept = new('b', 64);
    private readonly TrustList trust = new(
    [
        new TrustedClientOptions { Name = "ci-old", Role = Role.Viewer, Thumbprints = [Revoked] },
        new TrustedClientOptions { Name = "ci-new", Role = Role.Viewer, Thumbprints = [Kept] },
    ]);

    private readonly OpenTcpCalls openCalls = new();
    private readonly TcpCallInterceptor interceptor;

    public TcpCallInterceptorTests()
    {
        interceptor = new TcpCallInterceptor(openCalls, trust);
    }

    [Fact]
    public async Task ServerStreamingServerHandler_CertificateRevokedByAReload_EndsTheOpenWatchWithUnauthenticated()
    {
        using var client = new CancellationTokenSource();
        var revoked = WatchUntilCancelled(FakeServerCallContext.OverTcp(FakeServerCallContext.WatchDeployment, "ci-old", Revoked));
        var kept = WatchUntilCancelled(FakeServerCallContext.OverTcp(FakeServerCallContext.WatchDeployment, "ci-new", Kept, cancellationToken: client.Token));

        trust.Replace([new TrustedClientOptions { Name = "ci-new", Role = Role.Viewer, Thumbprints = [Kept] }]);
        var ended = openCalls.EndUntrusted(trust);

        Assert.Equal(1, ended);
        var refused = await Assert.ThrowsAsync<RpcException>(() => revoked);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains($"client certificate {Revoked[..12]}… is no longer trusted", refused.Status.Detail, StringComparison.Ordinal);
        Assert.False(kept.IsCompleted);
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kept);
        Assert.Equal(0, openCalls.Count);
    }

    [Fact]
    public async Task ServerStreamingServerHandler_RevokedWatchThatReturnsOnCancellation_StillEndsUnauthenticated()
    {
        var context = FakeServerCallContext.OverTcp(FakeServerCallContext.WatchDeployment, "ci-old", Revoked);
        // As the gRPC health service's Watch does: it returns when its token is cancelled instead of throwing.
        var watch = interceptor.ServerStreamingServerHandler<string, string>("request", null!, context, async (_, _, callContext) =>
        {
            await Task.Delay(Timeout.Infinite, callContext.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        trust.Replace([]);
        openCalls.EndUntrusted(trust);

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => watch)).StatusCode);
    }

    [Fact]
    public async Task ServerStreamingServerHandler_RevokedBetweenAuthenticationAndRegistration_EndsUnauthenticated()
    {
        var context = FakeServerCallContext.OverTcp(FakeServerCallContext.WatchDeployment, "ci-old", Revoked);
        trust.Replace([new TrustedClientOptions { Name = "ci-new", Role = Role.Viewer, Thumbprints = [Kept] }]);
        openCalls.EndUntrusted(trust);

        var watch = WatchUntilCancelled(context);

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => watch)).StatusCode);
    }

    [Fact]
    public async Task EndUntrusted_NothingRevoked_EndsNothing()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = interceptor.UnaryServerHandler<string, string>(
            "request",
            FakeServerCallContext.OverTcp(FakeServerCallContext.GetStatus, "ci-new", Kept),
            (_, _) => release.Task);

        Assert.Equal(0, openCalls.EndUntrusted(trust));
        release.SetResult("answer");
        Assert.Equal("answer", await call);
    }

    [Fact]
    public async Task UnaryServerHandler_MoreStreamsThanTheConnectionAllows_RefusesTheExtraUntilOneEnds()
    {
        var streams = new TcpConnectionStreams(2);
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> Call(Task<string> answer) => interceptor.UnaryServerHandler<string, string>(
            "request",
            FakeServerCallContext.OverTcp(FakeServerCallContext.GetStatus, "ci-new", Kept, streams),
            (_, _) => answer);
        var held = new[] { Call(release.Task), Call(release.Task) };

        var refused = await Assert.ThrowsAsync<RpcException>(() => Call(Task.FromResult("answer")));
        release.SetResult("done");
        await Task.WhenAll(held);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Security:Tcp:MaxStreamsPerConnection", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("answer", await Call(Task.FromResult("answer")));
        Assert.Equal(0, openCalls.Count);
    }

    [Fact]
    public async Task UnaryServerHandler_OnTheUnixSocket_PassesTheCallsOwnContext()
    {
        var context = FakeServerCallContext.Local(FakeServerCallContext.GetStatus);
        ServerCallContext? seen = null;

        await interceptor.UnaryServerHandler<string, string>("request", context, (_, callContext) =>
        {
            seen = callContext;
            return Task.FromResult("answer");
        });

        Assert.Same(context, seen);
        Assert.Equal(0, openCalls.Count);
    }

    private Task WatchUntilCancelled(ServerCallContext context) =>
        interceptor.ServerStreamingServerHandler<string, string>(
            "request",
            null!,
            context,
            (_, _, callContext) => Task.Delay(Timeout.Infinite, callContext.CancellationToken));
}
