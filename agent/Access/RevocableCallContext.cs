using Grpc.Core;

namespace Mizan.Agent.Access;

/// <summary>
/// The call's own context with a cancellation token the agent can also trip: the handler behind it stops when the
/// client goes, as before, and also when the agent ends the call (its certificate was revoked). Everything else is
/// the original's; the HttpContext is found through the shared UserState, as gRPC's GetHttpContext looks for it.
/// </summary>
internal sealed class RevocableCallContext : ServerCallContext
{
    // The key Grpc.AspNetCore's GetHttpContext() falls back to for a context that is not its own.
    private const string HttpContextKey = "__HttpContext";

    private readonly ServerCallContext inner;
    private readonly CancellationToken token;

    public RevocableCallContext(ServerCallContext inner, CancellationToken token)
    {
        this.inner = inner;
        this.token = token;
        inner.UserState[HttpContextKey] = inner.GetHttpContext();
    }

    protected override string MethodCore => inner.Method;

    protected override string HostCore => inner.Host;

    protected override string PeerCore => inner.Peer;

    protected override DateTime DeadlineCore => inner.Deadline;

    protected override Metadata RequestHeadersCore => inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => token;

    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => inner.Status;
        set => inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);
}
