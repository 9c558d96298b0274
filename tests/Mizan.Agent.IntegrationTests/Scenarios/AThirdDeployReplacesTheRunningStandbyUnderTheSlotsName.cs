using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// The third deploy goes into the slot where the first one's container still runs as the standby. The agent creates
/// the new container while the old one dies, under a name of its own, and tidies up before traffic moves: when the
/// deploy ends the slot holds one container, the new one, under the slot's name, and the old one is gone.
/// </summary>
public sealed class AThirdDeployReplacesTheRunningStandbyUnderTheSlotsName(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task Run()
    {
        await StartAsync();
        var first = await DeploySucceedsAsync(AppVariant.V1);
        var slot = first.Result!.ToSlot;
        var replaced = (await ContainerAsync(slot))!;
        await DeploySucceedsAsync(AppVariant.V2);
        Assert.True((await ContainerAsync(slot)) is { Running: true }, "the first deploy's container runs as the standby");

        var third = await DeploySucceedsAsync(AppVariant.V1);

        Assert.Equal(slot, third.Result!.ToSlot);
        var inSlot = await DockerCli.RunAsync(
            ["ps", "--all", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.State}}",
                "--filter", $"label=mizan.app={AppName}", "--filter", $"label=mizan.slot={slot}"],
            Token);
        var only = Assert.Single(inSlot.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split(' ');
        Assert.Equal(Config.ContainerName(slot), only[1]);
        Assert.Equal("running", only[2]);
        Assert.NotEqual(replaced.Id, only[0]);
        Assert.Null(await DockerCli.InspectContainerAsync(replaced.Id, Token));
        Assert.Equal(third.DeploymentId, (await ContainerAsync(slot))!.Label("mizan.deployment"));
        await AssertServesAsync("v1", slot);
    }
}
