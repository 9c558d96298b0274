using Microsoft.Extensions.Time.Testing;
using Mizan.Agent.Apps;
using Mizan.Agent.Deployments;

namespace Mizan.Agent.Tests.Deployments;

public class AppLocksTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    private OperationId Deploy() => OperationId.New(OperationKind.Deployment, time);

    [Fact]
    public void Acquire_WhileHeld_RefusesNamingHolderAndSince()
    {
        var locks = new AppLocks(time);
        var holder = Deploy();
        using var first = locks.Acquire("web", holder, "deploy of web:v2");
        time.Advance(TimeSpan.FromSeconds(42));

        var error = Assert.Throws<LockHeldException>(() => locks.Acquire("web", Deploy(), "deploy of web:v3"));

        Assert.Contains(holder.Value, error.Message, StringComparison.Ordinal);
        Assert.Contains("deploy of web:v2", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-27T10:00:00Z", error.Message, StringComparison.Ordinal);
        Assert.Contains("42 s ago", error.Message, StringComparison.Ordinal);
        Assert.Equal(("web", holder, "deploy of web:v2"), (error.App, error.Holder, error.What));
    }

    [Fact]
    public void Acquire_WhileAutoHealActs_RefusesNamingAutoHealNotAWatchableDeployment()
    {
        var locks = new AppLocks(time);
        using var heal = locks.Acquire("web", OperationId.New(OperationKind.AutoHeal, time), "auto-heal of web");

        var error = Assert.Throws<LockHeldException>(() => locks.Acquire("web", Deploy(), "deploy of web:v3"));

        Assert.StartsWith("auto-heal is acting on app 'web'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mizanctl watch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_WhileStandbyExpires_RefusesWithoutCallingItADeploy()
    {
        var locks = new AppLocks(time);
        using var expiry = locks.Acquire("web", OperationId.New(OperationKind.StandbyExpiry, time), "standby expiry");

        var error = Assert.Throws<LockHeldException>(() => locks.Acquire("web", Deploy(), "deploy of web:v3"));

        Assert.Contains("expired standby", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a deploy of app", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_AfterRelease_Succeeds()
    {
        var locks = new AppLocks(time);
        locks.Acquire("web", Deploy(), "deploy").Dispose();
        var second = Deploy();

        using var held = locks.Acquire("web", second, "deploy");

        Assert.Equal(second, locks.HolderOf("web")?.Operation);
    }

    [Fact]
    public void Acquire_OtherApp_IsIndependent()
    {
        var locks = new AppLocks(time);
        using var web = locks.Acquire("web", Deploy(), "deploy");
        var api = Deploy();

        using var held = locks.Acquire("api", api, "deploy");

        Assert.Equal(api, locks.HolderOf("api")?.Operation);
    }

    [Fact]
    public void Dispose_Twice_DoesNotReleaseSomeoneElsesLock()
    {
        var locks = new AppLocks(time);
        var first = locks.Acquire("web", Deploy(), "deploy");
        first.Dispose();
        var second = Deploy();
        using var held = locks.Acquire("web", second, "deploy");

        first.Dispose();

        Assert.Equal(second, locks.HolderOf("web")?.Operation);
    }
}
