using Grpc.Core;
using Grpc.Core.Interceptors;
using Mizan.Agent.Apps;
using Mizan.Agent.V1;

namespace Mizan.Agent.Access.Audit;

/// <summary>
/// Records every call that changes something, refused ones included: who (certificate name and thumbprint, or local
/// uid), what (action, app, image or slot), from where, and the outcome, in SQLite and in the log. The outermost
/// interceptor, so a call authentication refuses is recorded too, under what its connection shows. Refusals pass
/// <see cref="RefusalAuditThrottle"/> first: a flood of them writes a bounded number of rows.
/// </summary>
public sealed class AuditInterceptor(AuditLog audit, RefusalAuditThrottle refusals, TimeProvider time) : Interceptor
{
    // The request fields worth a line in the audit's detail column, beside the app.
    private static readonly string[] DetailFields = ["image", "slot", "percent", "commit_sha", "idempotency_key"];

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!AuditedActions.ChangesSomething(context.Method))
        {
            return await continuation(request, context);
        }

        try
        {
            var response = await continuation(request, context);
            await RecordAsync(context, request, "OK", null);
            return response;
        }
        catch (Exception ex)
        {
            await RecordAsync(context, request, Outcome(ex), null, ex);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!AuditedActions.ChangesSomething(context.Method))
        {
            await continuation(request, responseStream, context);
            return;
        }

        var watched = new DeploymentWatchingWriter<TResponse>(responseStream);
        try
        {
            await continuation(request, watched, context);
            await RecordAsync(context, request, watched.FinalState ?? "OK", watched.DeploymentId);
        }
        catch (Exception ex)
        {
            var outcome = watched.DeploymentId is not null && context.CancellationToken.IsCancellationRequested
                ? "started; the client left and the deployment goes on"
                : Outcome(ex);
            // Once a deployment started, the call was not refused, however its stream ended: always its own row.
            await RecordAsync(context, request, outcome, watched.DeploymentId, watched.DeploymentId is null ? ex : null);
            throw;
        }
    }

    private async Task RecordAsync(ServerCallContext context, object request, string outcome, string? deploymentId, Exception? failure = null)
    {
        var caller = Caller.Of(context);
        var http = context.GetHttpContext();
        var record = new AuditRecord(
            time.GetUtcNow(),
            caller?.Name ?? CallerIdentity.Unauthenticated(http),
            caller?.Thumbprint ?? CallerIdentity.ThumbprintOf(http),
            caller is null ? "unknown" : CallRights.RoleName(caller.Role),
            AuditedActions.ActionOf(context.Method),
            Field(request, "app"),
            string.Join(' ', DetailFields
                .Select(name => (name, value: Field(request, name)))
                .Where(f => f.value.Length > 0)
                .Select(f => $"{f.name}={f.value}")),
            caller?.Peer ?? CallerIdentity.PeerOf(http),
            outcome,
            deploymentId);
        if (failure is not null && RefusalAuditThrottle.IsRefusal(failure) && !refusals.Admit(CallerIdentity.Of(context), record))
        {
            return;
        }

        await audit.WriteAsync(record);
    }

    // Bounded by RequestValidationInterceptor only after this runs: cut here too, so a refused giant value stays out of the log.
    private static string Field(object request, string name)
    {
        var value = RequestFields.Text(request, name) ?? "";
        return value.Length > 128 ? $"({value.Length} characters)" : AppCatalog.Printable(value);
    }

    private static string Outcome(Exception exception) => exception switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    /// <summary>Passes events through and remembers the deployment they belong to and how it ended.</summary>
    private sealed class DeploymentWatchingWriter<TResponse>(IServerStreamWriter<TResponse> inner) : IServerStreamWriter<TResponse>
    {
        public string? DeploymentId { get; private set; }

        public string? FinalState { get; private set; }

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(TResponse message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(TResponse message, CancellationToken cancellationToken)
        {
            if (message is DeploymentEvent deploymentEvent)
            {
                DeploymentId ??= deploymentEvent.DeploymentId;
                if (deploymentEvent.Result is { } result)
                {
                    FinalState = $"{result.State}: {result.Message}";
                }
            }

            return inner.WriteAsync(message, cancellationToken);
        }
    }
}
