using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Tests.Access;

/// <summary>
/// A call as an interceptor sees it, without a server: the method, an HttpContext (found by GetHttpContext through the
/// UserState, as for any context not Grpc.AspNetCore's own) and the client's cancellation.
/// </summary>
internal sealed class FakeServerCallContext : ServerCallContext
{
    private readonly Dictionary<object, object> userState = [];
    private readonly string method;
    private readonly CancellationToken cancellationToken;

    public FakeServerCallContext(string method, HttpContext? http = null, CancellationToken cancellationToken = default)
    {
        this.method = method;
        this.cancellationToken = cancellationToken;
        Http = http ?? new DefaultHttpContext();
        userState["__HttpContext"] = Http;
    }

    public HttpContext Http { get; }

    public const string Pull = "/mizan.agent.v1.AgentService/Pull";
    public const string GetStatus = "/mizan.agent.v1.AgentService/GetStatus";
    public const string WatchDeployment = "/mizan.agent.v1.AgentService/WatchDeployment";

    /// <summary>A call over TCP from a trusted client with <paramref name="thumbprint"/>, on <paramref name="streams"/>'s connection.</summary>
    public static FakeServerCallContext OverTcp(
        string method,
        string name,
        string thumbprint,
        TcpConnectionStreams? streams = null,
        CancellationToken cancellationToken = default)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.5");
        http.Connection.RemotePort = 50122;
        http.Features.Set(streams ?? new TcpConnectionStreams(16));
        var context = new FakeServerCallContext(method, http, cancellationToken);
        var caller = new Caller(name, thumbprint, Role.Deployer, new HashSet<string> { "web" }, "203.0.113.5:50122", Caller.RemoteIdentity(name, thumbprint));
        caller.AttachTo(context);
        return context;
    }

    /// <summary>A call on the unix socket from an admin named <paramref name="user"/>.</summary>
    public static FakeServerCallContext Local(string method, string user = "root")
    {
        var context = new FakeServerCallContext(method);
        new Caller(user, null, Role.Admin, null, $"unix uid 0 ({user}) pid 1", $"uid 0 ({user})").AttachTo(context);
        return context;
    }

    protected override string MethodCore => method;

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:203.0.113.5:50122";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override IDictionary<object, object> UserStateCore => userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
