using System.Net;
using Microsoft.AspNetCore.Http;
using Mizan.Agent.Access;

namespace Mizan.Agent.Tests.Access;

public class CallerIdentityTests
{
    [Fact]
    public void Of_AuthenticatedCaller_IsItsIdentity()
    {
        var context = FakeServerCallContext.OverTcp(FakeServerCallContext.Pull, "ci-github", new string('a', 64));

        Assert.Equal("ci-github (thumbprint aaaaaaaaaaaa…)", CallerIdentity.Of(context));
    }

    [Fact]
    public void Of_UnauthenticatedTcpPeer_IsItsAddressWithoutThePort()
    {
        static HttpContext From(int port)
        {
            var http = new DefaultHttpContext();
            http.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7");
            http.Connection.RemotePort = port;
            return http;
        }

        var first = CallerIdentity.Of(new FakeServerCallContext(FakeServerCallContext.Pull, From(40000)));
        var second = CallerIdentity.Of(new FakeServerCallContext(FakeServerCallContext.Pull, From(40001)));

        Assert.Equal("address 198.51.100.7", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Of_NothingKnown_IsUnknown() =>
        Assert.Equal("unknown", CallerIdentity.Of(new FakeServerCallContext(FakeServerCallContext.Pull)));
}
