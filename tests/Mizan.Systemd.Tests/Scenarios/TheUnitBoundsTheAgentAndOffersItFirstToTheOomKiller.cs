using System.Globalization;

namespace Mizan.Systemd.Tests.Scenarios;

/// <summary>
/// The unit bounds the agent (MemoryMax=256M, TasksMax=256) so a runaway agent dies in its own cgroup, and marks it
/// first for the kernel's OOM killer (OOMScoreAdjust=500, above dockerd's -500 and the apps' 0); the running agent
/// carries the adjustment, and idles at under half of each bound.
/// </summary>
public sealed class TheUnitBoundsTheAgentAndOffersItFirstToTheOomKiller(ITestOutputHelper output) : SystemdScenario(output)
{
    [Fact]
    public async Task Run()
    {
        (await InstallFromTarballAsync()).EnsureSuccess();

        var properties = (await Machine.MustAsync("systemctl show -p MemoryMax,TasksMax,OOMScoreAdjust mizan-agent", Cancellation))
            .Split('\n')
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal("268435456", properties["MemoryMax"]);
        Assert.Equal("256", properties["TasksMax"]);
        Assert.Equal("500", properties["OOMScoreAdjust"]);
        var pid = await Machine.AgentPidAsync(Cancellation);
        Assert.Equal("500", await Machine.MustAsync($"cat /proc/{pid}/oom_score_adj", Cancellation));

        // Headroom: the idle agent's threads and resident memory, against the bounds above.
        var threads = int.Parse(await Machine.MustAsync($"sleep 3; ls /proc/{pid}/task | wc -l", Cancellation), CultureInfo.InvariantCulture);
        var residentKiB = int.Parse(await Machine.MustAsync($"ps -o rss= -p {pid}", Cancellation), CultureInfo.InvariantCulture);
        var accounted = await Machine.MustAsync("systemctl show -p TasksCurrent,MemoryCurrent,MemoryPeak mizan-agent", Cancellation);
        Output.WriteLine($"MEASURED idle agent: {threads} threads, {residentKiB} KiB resident; systemd: {accounted.Replace('\n', ' ')}");
        Assert.InRange(threads, 1, 128);
        Assert.InRange(residentKiB, 1, 128 * 1024);
    }
}
