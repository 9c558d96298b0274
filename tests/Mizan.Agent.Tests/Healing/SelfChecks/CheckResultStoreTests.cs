using Microsoft.Extensions.Options;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Healing.SelfChecks;

namespace Mizan.Agent.Tests.Healing.SelfChecks;

public class CheckResultStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CheckResultStore Store(int keep = 3) => new(Options.Create(new AgentOptions { Checks = new SelfCheckOptions { KeepResults = keep } }));

    private static CheckResult Result(int second, CheckStatus status, string name = "docker", string app = "") =>
        new(name, app, status, status.ToString(), Start.AddSeconds(second), TimeSpan.FromMilliseconds(5));

    [Fact]
    public void Record_FirstResult_HasNoPreviousStatus()
    {
        var recorded = Store().Record(Result(0, CheckStatus.Ok));

        Assert.Null(recorded.Previous);
        Assert.True(recorded.Changed);
        Assert.Equal(Start, recorded.State.StatusSince);
    }

    [Fact]
    public void Record_SameStatus_KeepsStatusSinceAndCountsFailures()
    {
        var store = Store();
        store.Record(Result(0, CheckStatus.Ok));
        store.Record(Result(1, CheckStatus.Failing));
        var third = store.Record(Result(2, CheckStatus.Failing));

        Assert.False(third.Changed);
        Assert.Equal(Start.AddSeconds(1), third.State.StatusSince);
        Assert.Equal(2, third.State.ConsecutiveFailures);
    }

    [Fact]
    public void Record_Recovery_ResetsFailuresAndStatusSince()
    {
        var store = Store();
        store.Record(Result(0, CheckStatus.Failing));
        var recovered = store.Record(Result(1, CheckStatus.Ok));

        Assert.Equal(CheckStatus.Failing, recovered.Previous);
        Assert.Equal(0, recovered.State.ConsecutiveFailures);
        Assert.Equal(Start.AddSeconds(1), recovered.State.StatusSince);
    }

    [Fact]
    public void History_KeepsTheLastN()
    {
        var store = Store(keep: 3);
        for (var second = 0; second < 5; second++)
        {
            store.Record(Result(second, CheckStatus.Ok));
        }

        Assert.Equal([2, 3, 4], store.History("docker").Select(r => (int)(r.At - Start).TotalSeconds));
    }

    [Fact]
    public void Latest_ListsAgentWideChecksFirstThenByApp()
    {
        var store = Store();
        store.Record(Result(0, CheckStatus.Ok, "app:web:live", "web"));
        store.Record(Result(0, CheckStatus.Ok, "nginx"));
        store.Record(Result(0, CheckStatus.Ok, "app:api:live", "api"));
        store.Record(Result(0, CheckStatus.Ok, "docker"));

        Assert.Equal(["docker", "nginx", "app:api:live", "app:web:live"], store.Latest().Select(s => s.Name));
    }
}
