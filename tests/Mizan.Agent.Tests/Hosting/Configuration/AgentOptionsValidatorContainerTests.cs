using Mizan.Agent.Apps.Options;
using Mizan.Agent.Hosting.Configuration;

namespace Mizan.Agent.Tests.Hosting.Configuration;

public class AgentOptionsValidatorContainerTests
{
    private static AgentOptions OptionsWith(ContainerOptions container) => new()
    {
        Apps =
        {
            ["web"] = new AppOptions
            {
                Image = "localhost:5000/web",
                BluePort = 18081,
                GreenPort = 18082,
                Upstream = new UpstreamOptions { Name = "web_backend", File = "/etc/nginx/mizan/web.conf" },
                Container = container,
            },
        },
    };

    [Fact]
    public void Validate_EveryContainerOption_HasNoErrors()
    {
        var container = new ContainerOptions
        {
            DropCapabilities = ["ALL"],
            AddCapabilities = ["NET_BIND_SERVICE", "cap_chown"],
            Memory = "256m",
            Pids = 200,
            Cpus = 1,
            ReadOnlyRootFilesystem = true,
        };

        Assert.Empty(AgentOptionsValidator.Validate(OptionsWith(container)));
    }

    [Theory]
    [InlineData("256m")]
    [InlineData("1g")]
    [InlineData("1.5G")]
    [InlineData("65536k")]
    [InlineData("268435456")]
    [InlineData("268435456b")]
    public void Validate_MemorySize_HasNoErrors(string memory)
    {
        Assert.Empty(AgentOptionsValidator.Validate(OptionsWith(new ContainerOptions { Memory = memory })));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("256mb")]
    [InlineData("-1m")]
    [InlineData("0")]
    [InlineData("256 t")]
    public void Validate_MalformedMemory_SaysHowToWriteASize(string memory)
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(OptionsWith(new ContainerOptions { Memory = memory })));

        Assert.StartsWith("Apps:web:Container:Memory:", error, StringComparison.Ordinal);
        Assert.Contains("\"256m\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MemoryBelowTheEngineMinimum_NamesTheMinimum()
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(OptionsWith(new ContainerOptions { Memory = "4m" })));

        Assert.Contains("minimum of 6m", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownCapability_NamesItsIndexAndValue()
    {
        var container = new ContainerOptions { DropCapabilities = ["NET_RAW", "NET_RAWW"], AddCapabilities = ["SYS_PTRACE", "BOGUS"] };

        var errors = AgentOptionsValidator.Validate(OptionsWith(container));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Apps:web:Container:DropCapabilities:1: 'NET_RAWW' is not a Linux capability", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Apps:web:Container:AddCapabilities:1: 'BOGUS' is not a Linux capability", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AddAll_IsRefused()
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(OptionsWith(new ContainerOptions { AddCapabilities = ["all"] })));

        Assert.StartsWith("Apps:web:Container:AddCapabilities:0: ALL cannot be added", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativePids_IsRefused()
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(OptionsWith(new ContainerOptions { Pids = -1 })));

        Assert.StartsWith("Apps:web:Container:Pids: -1 must not be negative", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0.001)]
    [InlineData(100000)]
    [InlineData(double.NaN)]
    public void Validate_CpusOutOfRange_IsRefused(double cpus)
    {
        var error = Assert.Single(AgentOptionsValidator.Validate(OptionsWith(new ContainerOptions { Cpus = cpus })));

        Assert.StartsWith("Apps:web:Container:Cpus:", error, StringComparison.Ordinal);
        Assert.Contains("out of range 0.01-", error, StringComparison.Ordinal);
    }
}
