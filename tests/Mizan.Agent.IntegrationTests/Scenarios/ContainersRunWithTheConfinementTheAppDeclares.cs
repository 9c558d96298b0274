using System.Text.Json.Nodes;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ContainersRunWithTheConfinementTheAppDeclares(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task ADeployedContainerHasNoNewPrivilegesItsCapabilitiesLimitsAndAReadOnlyRoot()
    {
        await StartAsync(configure: c => c.WithContainer(new JsonObject
        {
            ["DropCapabilities"] = new JsonArray("ALL"),
            ["AddCapabilities"] = new JsonArray("NET_BIND_SERVICE"),
            ["Memory"] = "64m",
            ["Pids"] = 100,
            ["Cpus"] = 1,
            ["ReadOnlyRootFilesystem"] = true,
        }));

        var slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;

        var container = await ContainerAsync(slot);
        Assert.NotNull(container);
        var confinement = container.Confinement;
        Assert.Equal(["no-new-privileges"], confinement.SecurityOptions);
        Assert.Equal(["ALL"], confinement.DroppedCapabilities);
        Assert.Equal(["NET_BIND_SERVICE"], confinement.AddedCapabilities);
        Assert.Equal(64L * 1024 * 1024, confinement.MemoryBytes);
        Assert.Equal(64L * 1024 * 1024, confinement.MemorySwapBytes);
        Assert.Equal(100, confinement.PidsLimit);
        Assert.Equal(1_000_000_000, confinement.NanoCpus);
        Assert.True(confinement.ReadOnlyRootFilesystem);
        Assert.True(confinement.Tmpfs.ContainsKey("/tmp"), string.Join(", ", confinement.Tmpfs.Keys));
        await AssertServesAsync("v1", slot);
    }
}
