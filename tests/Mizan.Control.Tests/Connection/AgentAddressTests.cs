using Mizan.Control.Connection;

namespace Mizan.Control.Tests.Connection;

public class AgentAddressTests
{
    [Theory]
    [InlineData("unix:///run/mizan-agent/agent.sock", "/run/mizan-agent/agent.sock")]
    [InlineData("unix:/run/mizan-agent/agent.sock", "/run/mizan-agent/agent.sock")]
    [InlineData("/tmp/agent.sock", "/tmp/agent.sock")]
    [InlineData("  /tmp/agent.sock ", "/tmp/agent.sock")]
    public void Parse_UnixSocket_ReturnsAbsolutePath(string value, string expectedPath)
    {
        var address = AgentAddress.Parse(value);

        Assert.Equal(AgentTransport.UnixSocket, address.Transport);
        Assert.Equal(expectedPath, address.SocketPath);
    }

    [Fact]
    public void Parse_HttpHostPort_ReturnsHttpUri()
    {
        var address = AgentAddress.Parse("http://box.internal:5000");

        Assert.Equal(AgentTransport.Http, address.Transport);
        Assert.Equal(new Uri("http://box.internal:5000"), address.HttpUri);
        Assert.Equal("http://box.internal:5000", address.ToString());
    }

    [Theory]
    [InlineData("agent.sock")]
    [InlineData("unix://relative/agent.sock")]
    [InlineData("unix:///")]
    [InlineData("ftp://box:21")]
    [InlineData("http://box:5000/some/path")]
    [InlineData("https://box:7443/some/path")]
    [InlineData("https://user:pw@box:7443")]
    [InlineData("box:5000")]
    [InlineData("")]
    public void Parse_InvalidAddress_ThrowsUsageException(string value)
    {
        var exception = Assert.Throws<UsageException>(() => AgentAddress.Parse(value));

        Assert.Contains("--agent", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Https_ReturnsMutualTlsAddress()
    {
        var address = AgentAddress.Parse("https://box:7443");

        Assert.Equal(AgentTransport.Https, address.Transport);
        Assert.Equal(new Uri("https://box:7443"), address.HttpUri);
        Assert.Equal("https://box:7443", address.ToString());
    }

    [Fact]
    public void Resolve_NoOptionNoEnvironment_UsesPackagedSocket()
    {
        var address = AgentAddress.Resolve(null, _ => null);

        Assert.Equal("/run/mizan-agent/agent.sock", address.SocketPath);
    }

    [Fact]
    public void Resolve_EnvironmentSet_UsesEnvironment()
    {
        var address = AgentAddress.Resolve(null, name => name == "MIZAN_AGENT" ? "http://box:5000" : null);

        Assert.Equal(new Uri("http://box:5000"), address.HttpUri);
    }

    [Fact]
    public void Resolve_OptionAndEnvironment_OptionWins()
    {
        var address = AgentAddress.Resolve("/tmp/cli.sock", _ => "http://box:5000");

        Assert.Equal("/tmp/cli.sock", address.SocketPath);
    }

    [Fact]
    public void Resolve_BlankEnvironment_UsesPackagedSocket()
    {
        var address = AgentAddress.Resolve(null, _ => "  ");

        Assert.Equal("/run/mizan-agent/agent.sock", address.SocketPath);
    }
}
