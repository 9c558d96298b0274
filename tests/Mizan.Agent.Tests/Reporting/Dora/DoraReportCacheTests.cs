using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Reporting.Dora;

namespace Mizan.Agent.Tests.Reporting.Dora;

public sealed class DoraReportCacheTests
{
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly DoraReportCache cache;
    private int computed;

    public DoraReportCacheTests()
    {
        cache = new DoraReportCache(time);
    }

    [Fact]
    public async Task GetOrComputeAsync_AgainWithinTheTimeToLive_ComputesOnce()
    {
        var first = await GetAsync("web", Month);
        time.Advance(DoraReportCache.TimeToLive - TimeSpan.FromMilliseconds(1));
        var second = await GetAsync("web", Month);

        Assert.Equal(1, computed);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task GetOrComputeAsync_AfterTheTimeToLive_ComputesAgain()
    {
        await GetAsync("web", Month);
        time.Advance(DoraReportCache.TimeToLive);
        await GetAsync("web", Month);

        Assert.Equal(2, computed);
    }

    [Fact]
    public async Task GetOrComputeAsync_OtherAppOrWindow_ComputesEach()
    {
        await GetAsync("web", Month);
        await GetAsync("api", Month);
        await GetAsync(null, Month);
        await GetAsync("web", TimeSpan.FromDays(7));
        await GetAsync("web", Month);

        Assert.Equal(4, computed);
    }

    [Fact]
    public async Task GetOrComputeAsync_CallersAtTheSameMoment_ShareOneComputation()
    {
        var release = new TaskCompletionSource<DoraReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<DoraReport> Get() => cache.GetOrComputeAsync("web", Month, _ =>
        {
            Interlocked.Increment(ref computed);
            return release.Task;
        }, CancellationToken.None);
        var callers = new[] { Get(), Get(), Get() };

        release.SetResult(Report("web"));
        await Task.WhenAll(callers);

        Assert.Equal(1, computed);
    }

    [Fact]
    public async Task DeploymentFinished_EmptiesTheCache()
    {
        await GetAsync("web", Month);

        cache.DeploymentFinished(new DeploymentRecord(
            "d-1", "web", DeploymentKind.Deploy, DeploymentState.Succeeded, "web:v2", null, null, null, "ci", time.GetUtcNow(), time.GetUtcNow(), null, "blue",
            null));
        await GetAsync("web", Month);

        Assert.Equal(2, computed);
    }

    [Fact]
    public async Task GetOrComputeAsync_AfterAFailedComputation_ComputesAgain()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrComputeAsync("web", Month, _ =>
        {
            Interlocked.Increment(ref computed);
            return Task.FromException<DoraReport>(new InvalidOperationException("the store is gone"));
        }, CancellationToken.None));

        await GetAsync("web", Month);

        Assert.Equal(2, computed);
    }

    private Task<DoraReport> GetAsync(string? app, TimeSpan window) => cache.GetOrComputeAsync(app, window, _ =>
    {
        Interlocked.Increment(ref computed);
        return Task.FromResult(Report(app));
    }, CancellationToken.None);

    private DoraReport Report(string? app) =>
        DoraCalculator.Compute(new DoraHistory([], [], time.GetUtcNow() - Month, time.GetUtcNow(), TimeSpan.FromHours(1)), app);
}
