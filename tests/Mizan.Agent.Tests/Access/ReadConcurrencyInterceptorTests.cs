using Grpc.Core;
using Microsoft.Extensions.Options;
using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Tests.Access;

public sealed class ReadConcurrencyInterceptorTests : IDisposable
{
    private readonly ReadConcurrencyInterceptor interceptor = new(Options.Create(new AgentOptions { Security = { ReadsInFlightPerCaller = 2 } }));
    private readonly TaskCompletionSource<string> release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private const string GetStatus = FakeServerCallContext.GetStatus;
    private const string Pull = FakeServerCallContext.Pull;
    private const string WatchDeployment = FakeServerCallContext.WatchDeployment;

    public void Dispose() => interceptor.Dispose();

    private static FakeServerCallContext Local(string method) => FakeServerCallContext.Local(method);

    [Fact]
    public async Task UnaryServerHandler_OneReadOverTheLimit_IsRefusedWithResourceExhaustedSayingWhatToDo()
    {
        var held = new[] { Read(Local(GetStatus)), Read(Local(GetStatus)) };

        var refused = await Assert.ThrowsAsync<RpcException>(() => Read(Local(GetStatus), Task.FromResult("answer")));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("uid 0 (root) already has 2 reading calls open (Security:ReadsInFlightPerCaller)", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("try again", refused.Status.Detail, StringComparison.Ordinal);
        release.SetResult("done");
        Assert.Equal(["done", "done"], await Task.WhenAll(held));
    }

    [Fact]
    public async Task UnaryServerHandler_AfterAReadEnds_AdmitsTheNextOne()
    {
        var first = Read(Local(GetStatus));
        var second = Read(Local(GetStatus));
        release.SetResult("done");
        await Task.WhenAll(first, second);

        Assert.Equal("answer", await Read(Local(GetStatus), Task.FromResult("answer")));
    }

    [Fact]
    public async Task UnaryServerHandler_AnotherCallerWhileOneIsFull_IsAdmitted()
    {
        var held = new[] { Read(Local(GetStatus)), Read(Local(GetStatus)) };

        var other = await Read(FakeServerCallContext.OverTcp(GetStatus, "ci", new string('c', 64)), Task.FromResult("answer"));

        Assert.Equal("answer", other);
        release.SetResult("done");
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task UnaryServerHandler_ChangingCalls_AreNotCounted()
    {
        var held = new[] { Read(Local(Pull)), Read(Local(Pull)) };

        Assert.Equal("answer", await Read(Local(Pull), Task.FromResult("answer")));
        release.SetResult("done");
        await Task.WhenAll(held);
    }

    [Fact]
    public async Task ServerStreamingServerHandler_OpenWatches_HoldTheirPermitUntilTheyEnd()
    {
        var watches = new[] { Watch(Local(WatchDeployment)), Watch(Local(WatchDeployment)) };

        var refused = await Assert.ThrowsAsync<RpcException>(() => Read(Local(GetStatus), Task.FromResult("answer")));
        release.SetResult("done");
        await Task.WhenAll(watches);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("answer", await Read(Local(GetStatus), Task.FromResult("answer")));
    }

    private Task<string> Read(ServerCallContext context, Task<string>? answer = null) =>
        interceptor.UnaryServerHandler<string, string>("request", context, (_, _) => answer ?? release.Task);

    private Task Watch(ServerCallContext context) =>
        interceptor.ServerStreamingServerHandler<string, string>("request", null!, context, (_, _, _) => release.Task);
}
