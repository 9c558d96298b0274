using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;

namespace Mizan.Agent.Tests.Runtime.Containers;

public class SlotContainerParametersTests
{
    private static SlotContainerSpec Spec(ContainerOptions container, AppNetwork network = AppNetwork.Host, int containerPort = 0) => new(
        "web",
        Slot.Green,
        18082,
        new PulledImage(ImageReference.Parse("localhost:5000/web:v2"), "sha256:" + new string('a', 64)),
        "dep-1",
        network,
        containerPort,
        new Dictionary<string, string>(StringComparer.Ordinal),
        [],
        container);

    [Fact]
    public void Build_Defaults_NoNewPrivilegesAndNoLimits()
    {
        var host = SlotContainerParameters.Build(Spec(new ContainerOptions())).HostConfig!;

        Assert.Equal(["no-new-privileges"], host.SecurityOpt);
        Assert.Null(host.CapDrop);
        Assert.Null(host.CapAdd);
        Assert.Equal(0, host.Memory);
        Assert.Equal(0, host.MemorySwap);
        Assert.Null(host.PidsLimit);
        Assert.Equal(0, host.NanoCPUs);
        Assert.False(host.ReadonlyRootfs);
        Assert.Null(host.Tmpfs);
        Assert.Equal("host", host.NetworkMode);
    }

    [Fact]
    public void Build_NoNewPrivilegesOff_SendsNoSecurityOption()
    {
        var host = SlotContainerParameters.Build(Spec(new ContainerOptions { NoNewPrivileges = false })).HostConfig!;

        Assert.Null(host.SecurityOpt);
    }

    [Fact]
    public void Build_Capabilities_AreNormalisedAndDeduplicated()
    {
        var container = new ContainerOptions { DropCapabilities = ["all"], AddCapabilities = ["CAP_NET_BIND_SERVICE", "net_bind_service", "CHOWN"] };

        var host = SlotContainerParameters.Build(Spec(container)).HostConfig!;

        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["NET_BIND_SERVICE", "CHOWN"], host.CapAdd);
    }

    [Fact]
    public void Build_Memory_SetsTheLimitWithoutSwap()
    {
        var host = SlotContainerParameters.Build(Spec(new ContainerOptions { Memory = "256m" })).HostConfig!;

        Assert.Equal(256L * 1024 * 1024, host.Memory);
        Assert.Equal(256L * 1024 * 1024, host.MemorySwap);
    }

    [Fact]
    public void Build_PidsAndCpus_SetTheEngineLimits()
    {
        var host = SlotContainerParameters.Build(Spec(new ContainerOptions { Pids = 200, Cpus = 1.5 })).HostConfig!;

        Assert.Equal(200, host.PidsLimit);
        Assert.Equal(1_500_000_000, host.NanoCPUs);
    }

    [Fact]
    public void Build_ReadOnlyRootFilesystem_MountsATmpfsOnTmp()
    {
        var host = SlotContainerParameters.Build(Spec(new ContainerOptions { ReadOnlyRootFilesystem = true })).HostConfig!;

        Assert.True(host.ReadonlyRootfs);
        Assert.Equal("rw,nosuid,nodev", Assert.Single(host.Tmpfs!, mount => mount.Key == "/tmp").Value);
    }

    [Fact]
    public void Build_Published_BindsTheContainerPortOnLoopbackOnly()
    {
        var parameters = SlotContainerParameters.Build(Spec(new ContainerOptions(), AppNetwork.Published, containerPort: 8080));

        Assert.Equal("bridge", parameters.HostConfig!.NetworkMode);
        Assert.Equal(["8080/tcp"], parameters.ExposedPorts!.Keys);
        var binding = Assert.Single(Assert.Single(parameters.HostConfig!.PortBindings!).Value);
        Assert.Equal("127.0.0.1", binding.HostIP);
        Assert.Equal("18082", binding.HostPort);
        Assert.Contains("PORT=8080", parameters.Env);
    }

    [Fact]
    public void Build_Host_ListensOnTheSlotPortWithoutBindings()
    {
        var parameters = SlotContainerParameters.Build(Spec(new ContainerOptions()));

        Assert.Null(parameters.HostConfig!.PortBindings);
        Assert.Null(parameters.ExposedPorts);
        Assert.Contains("PORT=18082", parameters.Env);
    }
}
