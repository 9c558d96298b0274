using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Deployments;

namespace Mizan.Agent.Tests.Deployments;

public class AppLocksTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Acquire_WhileHeld_RefusesNamingHolderAndSince()
    {
        var locks = new AppLocks(time);
        using var first = locks.Acquire("web", "d-1", "deploy of web:v2");
        time.Advance(TimeSpan.FromSeconds(42));

        var error = Assert.Throws<ConflictException>(() => locks.Acquire("web", "d-2", "deploy of web:v3"));

        Assert.Contains("d-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("deploy of web:v2", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-27T10:00:00Z", error.Message, StringComparison.Ordinal);
        Assert.Contains("42 s ago", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_WhileAutoHealActs_RefusesNamingAutoHealNotAWatchableDeployment()
    {
        var locks = new AppLocks(time);
        using var heal = locks.Acquire("web", $"{AppLocks.AutoHealIdPrefix}20261127-100000-abcdef", "auto-heal of web");

        var error = Assert.Throws<ConflictException>(() => locks.Acquire("web", "d-2", "deploy of web:v3"));

        Assert.StartsWith("auto-heal is acting on app 'web'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mizanctl watch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_AfterRelease_Succeeds()
    {
        var locks = new AppLocks(time);
        locks.Acquire("web", "d-1", "deploy").Dispose();

        using var second = locks.Acquire("web", "d-2", "deploy");

        Assert.Equal("d-2", locks.HolderOf("web")?.DeploymentId);
    }

    [Fact]
    public void Acquire_OtherApp_IsIndependent()
    {
        var locks = new AppLocks(time);
        using var web = locks.Acquire("web", "d-1", "deploy");

        using var api = locks.Acquire("api", "d-2", "deploy");

        Assert.Equal("d-2", locks.HolderOf("api")?.DeploymentId);
    }

    [Fact]
    public void Dispose_Twice_DoesNotReleaseSomeoneElsesLock()
    {
        var locks = new AppLocks(time);
        var first = locks.Acquire("web", "d-1", "deploy");
        first.Dispose();
        using var second = locks.Acquire("web", "d-2", "deploy");

        first.Dispose();

        Assert.Equal("d-2", locks.HolderOf("web")?.DeploymentId);
    }
}
