using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.V1;

namespace Mizan.Agent.Tests.Access.Audit;

/// <summary>The audit interceptor against a real SQLite file, counting the rows a flood of refusals writes.</summary>
public sealed class AuditInterceptorTests : IDisposable
{
    private const int PerMinute = 3;
    private readonly string directory = Directory.CreateTempSubdirectory("mizan-audit-").FullName;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly AgentDatabase database;
    private readonly AuditStore store;
    private readonly AuditInterceptor interceptor;
    private readonly RefusalSummaryWriter summaries;

    public AuditInterceptorTests()
    {
        var options = Options.Create(new AgentOptions { Agent = { DataDirectory = directory }, Security = { AuditedRefusalsPerMinute = PerMinute } });
        database = new AgentDatabase(options);
        store = new AuditStore(database);
        var audit = new AuditLog(store, NullLogger<AuditLog>.Instance);
        var throttle = new RefusalAuditThrottle(options, time);
        interceptor = new AuditInterceptor(audit, throttle, time);
        summaries = new RefusalSummaryWriter(throttle, audit, time, NullLogger<RefusalSummaryWriter>.Instance);
    }

    public void Dispose()
    {
        summaries.Dispose();
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task UnaryServerHandler_FloodOfRefusals_WritesTheFirstOfTheMinuteAndOneSummaryWhenItEnds()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await RefusedPullAsync(FakeServerCallContext.Local(FakeServerCallContext.Pull));
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(PerMinute, (await RowsAsync()).Count);
        Assert.Equal(0, await summaries.WriteDueAsync());

        time.Advance(RefusalAuditThrottle.Window);
        Assert.Equal(1, await summaries.WriteDueAsync());

        var rows = await RowsAsync();
        Assert.Equal(PerMinute + 1, rows.Count);
        var summary = rows[0];
        Assert.Equal("root", summary.Caller);
        Assert.Equal("Pull", summary.Action);
        Assert.Equal("web", summary.App);
        Assert.StartsWith($"{50 - PerMinute} more refused; the last: InvalidArgument", summary.Outcome, StringComparison.Ordinal);
        Assert.Contains("Security:AuditedRefusalsPerMinute", summary.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await summaries.WriteDueAsync());
    }

    [Fact]
    public async Task UnaryServerHandler_RefusalsOfTwoCallers_AreCountedApart()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await RefusedPullAsync(FakeServerCallContext.Local(FakeServerCallContext.Pull));
            await RefusedPullAsync(FakeServerCallContext.OverTcp(FakeServerCallContext.Pull, "ci", new string('c', 64)));
        }

        await summaries.WriteDueAsync(all: true);

        var rows = await RowsAsync();
        Assert.Equal(PerMinute + 1, rows.Count(row => row.Caller == "root"));
        Assert.Equal(PerMinute + 1, rows.Count(row => row.Caller == "ci"));
    }

    [Fact]
    public async Task UnaryServerHandler_AfterTheMinute_WritesOneByOneAgain()
    {
        for (var attempt = 0; attempt < PerMinute + 2; attempt++)
        {
            await RefusedPullAsync(FakeServerCallContext.Local(FakeServerCallContext.Pull));
        }

        time.Advance(RefusalAuditThrottle.Window);
        await RefusedPullAsync(FakeServerCallContext.Local(FakeServerCallContext.Pull));
        await summaries.WriteDueAsync();

        // The minute's 3, the next minute's first, and the first minute's summary (closed by that refusal).
        Assert.Equal(PerMinute + 2, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task UnaryServerHandler_SucceededCalls_AreAlwaysWritten()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var answer = await interceptor.UnaryServerHandler<PullRequest, PullResponse>(
                new PullRequest { App = "web", Image = "v1" },
                FakeServerCallContext.Local(FakeServerCallContext.Pull),
                (_, _) => Task.FromResult(new PullResponse()));
            Assert.NotNull(answer);
        }

        Assert.Equal(10, (await RowsAsync()).Count(row => row.Outcome == "OK"));
    }

    [Fact]
    public async Task UnaryServerHandler_UnauthenticatedRefusal_IsRecordedUnderWhatTheConnectionShows()
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7");
        http.Connection.RemotePort = 40000;

        await RefusedPullAsync(new FakeServerCallContext(FakeServerCallContext.Pull, http), StatusCode.Unauthenticated);

        var row = Assert.Single(await RowsAsync());
        Assert.Equal("address 198.51.100.7", row.Caller);
        Assert.Equal("unknown", row.Role);
        Assert.Equal("198.51.100.7:40000", row.Peer);
        Assert.StartsWith("Unauthenticated", row.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_MinuteStillOpen_WritesItsSummary()
    {
        for (var attempt = 0; attempt < PerMinute + 5; attempt++)
        {
            await RefusedPullAsync(FakeServerCallContext.Local(FakeServerCallContext.Pull));
        }

        await summaries.StopAsync(CancellationToken.None);

        var rows = await RowsAsync();
        Assert.Equal(PerMinute + 1, rows.Count);
        Assert.StartsWith("5 more refused", rows[0].Outcome, StringComparison.Ordinal);
    }

    private async Task RefusedPullAsync(FakeServerCallContext context, StatusCode code = StatusCode.InvalidArgument)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<PullRequest, PullResponse>(
            new PullRequest { App = "web", Image = "v1;reboot" },
            context,
            (_, _) => throw new RpcException(new Status(code, "refused"))));
        Assert.Equal(code, refused.StatusCode);
    }

    private Task<IReadOnlyList<AuditRecord>> RowsAsync() => store.ListAsync(null, null, 1000, CancellationToken.None);
}
