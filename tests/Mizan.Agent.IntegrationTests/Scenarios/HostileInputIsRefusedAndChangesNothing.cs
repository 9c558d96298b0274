using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class HostileInputIsRefusedAndChangesNothing(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private static readonly string[] HostileValues =
    [
        "core;rm -rf /",
        "$(reboot)",
        "`reboot`",
        "../../etc/passwd",
        "x; } server { listen 1; }",
        "web\0evil",
        "web\u001b[2J",
        "\u202eevil",
        "wéb-ünïcødé-漢字",
        new string('a', 1024 * 1024),
    ];

    [Fact]
    public async Task EveryRpcRefusesEveryHostileValueWithInvalidArgument()
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        var containersBefore = (await AppContainersAsync()).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var deploymentsBefore = (await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments.Count;

        var refusals = new List<string>();
        foreach (var hostile in HostileValues)
        {
            foreach (var (rpc, call) in Calls(hostile))
            {
                var error = await Assert.ThrowsAsync<RpcException>(call);
                Assert.True(
                    error.StatusCode is StatusCode.InvalidArgument or StatusCode.PermissionDenied,
                    $"{rpc} with {Describe(hostile)}: expected INVALID_ARGUMENT, got {error.StatusCode}: {error.Status.Detail}");
                Assert.True(error.Status.Detail.Length < 300, $"{rpc}: the refusal must not echo the value back ({error.Status.Detail.Length} characters)");
                refusals.Add($"{rpc} {Describe(hostile)} -> {error.StatusCode}: {error.Status.Detail}");
            }
        }

        Output.WriteLine(string.Join(Environment.NewLine, refusals.Distinct()));
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.Equal(containersBefore, (await AppContainersAsync()).Select(c => c.Id).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(
            deploymentsBefore,
            (await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token)).Deployments.Count);
        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);
    }

    private IEnumerable<(string Rpc, Func<Task> Call)> Calls(string hostile)
    {
        var deadline = EventStreams.Deadline(TimeSpan.FromSeconds(20));
        yield return ("Deploy.app", () => Drain(Client.Deploy(
            new DeployRequest { App = hostile, Image = "v1" }, deadline: deadline, cancellationToken: Token)));
        yield return ("Deploy.image", () => Drain(Client.Deploy(
            new DeployRequest { App = AppName, Image = hostile }, deadline: deadline, cancellationToken: Token)));
        yield return ("Deploy.commit_sha", () => Drain(Client.Deploy(
            new DeployRequest { App = AppName, Image = "v1", CommitSha = hostile }, deadline: deadline, cancellationToken: Token)));
        yield return ("Rollback.app", () => Drain(Client.Rollback(new RollbackRequest { App = hostile }, deadline: deadline, cancellationToken: Token)));
        yield return ("Pull.image", () => Client.PullAsync(
            new PullRequest { App = AppName, Image = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("StartSlot.image", () => Client.StartSlotAsync(
            new StartSlotRequest { App = AppName, Image = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("StartSlot.slot", () => Client.StartSlotAsync(
            new StartSlotRequest { App = AppName, Image = "v1", Slot = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("CheckSlot.slot", () => Client.CheckSlotAsync(
            new CheckSlotRequest { App = AppName, Slot = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("Switch.slot", () => Client.SwitchAsync(
            new SwitchRequest { App = AppName, Slot = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("Switch.app", () => Client.SwitchAsync(
            new SwitchRequest { App = hostile, Slot = "blue" }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("GetStatus.app", () => Client.GetStatusAsync(
            new GetStatusRequest { App = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("ListDeployments.app", () => Client.ListDeploymentsAsync(
            new ListDeploymentsRequest { App = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("GetDeployment.id", () => Client.GetDeploymentAsync(
            new GetDeploymentRequest { Id = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("GetMetrics.app", () => Client.GetMetricsAsync(
            new GetMetricsRequest { App = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
        yield return ("WatchDeployment.id", () => Drain(Client.WatchDeployment(
            new WatchDeploymentRequest { Id = hostile }, deadline: deadline, cancellationToken: Token)));
        yield return ("GetHealth.app", () => Client.GetHealthAsync(
            new GetHealthRequest { App = hostile }, deadline: deadline, cancellationToken: Token).ResponseAsync);
    }

    private async Task Drain(AsyncServerStreamingCall<DeploymentEvent> call)
    {
        using (call)
        {
            while (await call.ResponseStream.MoveNext(Token))
            {
            }
        }
    }

    private static string Describe(string value) =>
        value.Length > 40 ? $"a {value.Length}-character value" : $"'{string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()))}'";
}
