using Mizan.Control.Connection;

namespace Mizan.Control.Tests.Connection;

public class AgentChannelFactoryTests
{
    [Fact]
    public void Create_UnixSocket_TargetsPlaceholderHost()
    {
        using var channel = AgentChannelFactory.Create(AgentAddress.UnixSocket("/tmp/agent.sock"));

        Assert.Equal("localhost", channel.Target);
    }

    [Fact]
    public void Create_Http_TargetsGivenHost()
    {
        using var channel = AgentChannelFactory.Create(AgentAddress.Http(new Uri("http://box:5000")));

        Assert.Equal("box:5000", channel.Target);
    }
}
