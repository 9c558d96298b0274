using Microsoft.AspNetCore.Connections;
using Mizan.Agent.Access;
using Mizan.Agent.Tests.Reporting.Notifications;

namespace Mizan.Agent.Tests.Access;

public sealed class TcpConnectionLimitTests
{
    private readonly RecordingLogger<TcpConnectionLimit> log = new();
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int reached;

    [Fact]
    public async Task Wrap_ConnectionsOverTheLimit_AreClosedWithoutReachingTheListenerAndLoggedOnce()
    {
        var limit = new TcpConnectionLimit(maxConnections: 2, maxStreamsPerConnection: 4, log);
        var listener = limit.Wrap(Serve);
        var held = new[] { listener(new DefaultConnectionContext()), listener(new DefaultConnectionContext()) };

        await listener(new DefaultConnectionContext());
        await listener(new DefaultConnectionContext());

        Assert.Equal(2, Volatile.Read(ref reached));
        Assert.Equal(2, limit.OpenConnections);
        Assert.Single(log.Lines, line => line.Contains("TCP listener full", StringComparison.Ordinal));
        release.SetResult();
        await Task.WhenAll(held);
        Assert.Equal(0, limit.OpenConnections);
    }

    [Fact]
    public async Task Wrap_AfterAConnectionEnds_AdmitsTheNextAndSaysHowManyWereClosed()
    {
        var limit = new TcpConnectionLimit(maxConnections: 1, maxStreamsPerConnection: 4, log);
        var listener = limit.Wrap(Serve);
        var held = listener(new DefaultConnectionContext());
        await listener(new DefaultConnectionContext());
        release.SetResult();
        await held;

        await listener(new DefaultConnectionContext());

        Assert.Equal(2, Volatile.Read(ref reached));
        Assert.Single(log.Lines, line => line.Contains("admits connections again; 1 were closed", StringComparison.Ordinal));
    }

    private async Task Serve(ConnectionContext connection)
    {
        Assert.Equal(4, connection.Features.Get<TcpConnectionStreams>()?.Max);
        Interlocked.Increment(ref reached);
        await release.Task;
    }
}
