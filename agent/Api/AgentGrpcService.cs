using Grpc.Core;
using Mizan.Agent.Access;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Reporting.Dora;
using Mizan.Agent.V1;

namespace Mizan.Agent.Api;

/// <summary>The gRPC face of the agent: translates requests to the engine's commands and results back. No decisions here.</summary>
public sealed class AgentGrpcService(
    DeploymentEngine engine,
    DeploymentJournal journal,
    DeploymentStore store,
    SlotCommands slotCommands,
    AppStatusQuery status,
    AuditStore audit,
    DoraQuery dora,
    HealthReport health) : AgentService.AgentServiceBase
{
    private const int DefaultRows = 20;

    public override async Task Deploy(DeployRequest request, IServerStreamWriter<DeploymentEvent> responseStream, ServerCallContext context)
    {
        var command = new DeployCommand(
            request.App,
            request.Image,
            NullIfEmpty(request.CommitSha),
            request.CommitTime?.ToDateTimeOffset(),
            Claimed(request.RequestedBy),
            NullIfEmpty(request.IdempotencyKey),
            Caller.Of(context)?.Identity);
        var started = await engine.StartDeployAsync(command, context.CancellationToken);
        await StreamAsync(started.Id, responseStream, context);
    }

    public override async Task Rollback(RollbackRequest request, IServerStreamWriter<DeploymentEvent> responseStream, ServerCallContext context)
    {
        var started = await engine.StartRollbackAsync(request.App, Claimed(request.RequestedBy), Caller.Of(context)?.Identity, context.CancellationToken);
        await StreamAsync(started.Id, responseStream, context);
    }

    public override Task WatchDeployment(WatchDeploymentRequest request, IServerStreamWriter<DeploymentEvent> responseStream, ServerCallContext context) =>
        StreamAsync(request.Id, responseStream, context);

    public override async Task<PullResponse> Pull(PullRequest request, ServerCallContext context)
    {
        var pulled = await slotCommands.PullAsync(request.App, request.Image, context.CancellationToken);
        return new PullResponse { Image = pulled.Reference.ToString(), Digest = pulled.Digest };
    }

    public override async Task<StartSlotResponse> StartSlot(StartSlotRequest request, ServerCallContext context)
    {
        var (slot, container) = await slotCommands.StartAsync(request.App, request.Image, request.Slot, context.CancellationToken);
        return new StartSlotResponse { Slot = SlotNames.Name(slot), ContainerId = container.Id, Image = container.Image };
    }

    public override async Task<CheckSlotResponse> CheckSlot(CheckSlotRequest request, ServerCallContext context)
    {
        var (slot, health) = await slotCommands.CheckAsync(request.App, request.Slot, context.CancellationToken);
        return new CheckSlotResponse
        {
            Slot = SlotNames.Name(slot),
            Healthy = health.Healthy,
            Message = health.Message,
            LastStatusCode = health.LastStatusCode,
            LogTail = health.LogTail
        };
    }

    public override async Task<SwitchResponse> Switch(SwitchRequest request, ServerCallContext context)
    {
        var (live, previous) = await slotCommands.SwitchAsync(request.App, request.Slot, context.CancellationToken);
        return new SwitchResponse { LiveSlot = SlotNames.Name(live), PreviousSlot = previous is { } p ? SlotNames.Name(p) : "" };
    }

    public override async Task<SetWeightResponse> SetWeight(SetWeightRequest request, ServerCallContext context)
    {
        var (route, mode) = await slotCommands.SetWeightAsync(request.App, request.Slot, request.Percent, context.CancellationToken);
        return new SetWeightResponse { Traffic = route.ToProto(mode) };
    }

    public override async Task<GetStatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var views = await status.GetAsync(NullIfEmpty(request.App), context.CancellationToken);
        var response = new GetStatusResponse();
        response.Apps.Add(views.Select(view => view.ToProto()));
        return response;
    }

    public override async Task<ListDeploymentsResponse> ListDeployments(ListDeploymentsRequest request, ServerCallContext context)
    {
        var records = await store.ListAsync(NullIfEmpty(request.App), request.Limit == 0 ? DefaultRows : request.Limit, context.CancellationToken);
        var response = new ListDeploymentsResponse();
        response.Deployments.Add(records.Select(record => record.ToProto()));
        return response;
    }

    public override async Task<Deployment> GetDeployment(GetDeploymentRequest request, ServerCallContext context)
    {
        var record = await store.GetAsync(request.Id, context.CancellationToken)
            ?? throw new NotFoundException($"no deployment with id '{AppCatalog.Printable(request.Id)}'; `mizanctl history --app APP` lists them");
        var events = await store.GetEventsAsync(request.Id, context.CancellationToken);
        var message = record.ToProto();
        message.Events.Add(events.Select(e => e.ToProto()));
        return message;
    }

    public override async Task<ListAuditResponse> ListAudit(ListAuditRequest request, ServerCallContext context)
    {
        var records = await audit.ListAsync(
            NullIfEmpty(request.App),
            request.Since?.ToDateTimeOffset(),
            request.Limit == 0 ? DefaultRows : request.Limit,
            context.CancellationToken);
        var response = new ListAuditResponse();
        response.Entries.Add(records.Select(record => record.ToProto()));
        return response;
    }

    public override async Task<GetMetricsResponse> GetMetrics(GetMetricsRequest request, ServerCallContext context) =>
        (await dora.GetForRequestAsync(NullIfEmpty(request.App), request.Window?.ToTimeSpan(), context.CancellationToken)).ToProto();

    public override async Task<GetHealthResponse> GetHealth(GetHealthRequest request, ServerCallContext context) =>
        (await health.GetAsync(NullIfEmpty(request.App), context.CancellationToken)).ToProto();

    // The caller's cancellation ends only this stream; the deployment goes on and can be watched again.
    private async Task StreamAsync(string id, IServerStreamWriter<DeploymentEvent> responseStream, ServerCallContext context)
    {
        await foreach (var record in journal.WatchAsync(id, context.CancellationToken))
        {
            await responseStream.WriteAsync(record.ToProto(), context.CancellationToken);
        }
    }

    // What the client says about itself, kept apart from who authentication found (Caller.Identity).
    private static string Claimed(string requestedBy) => string.IsNullOrWhiteSpace(requestedBy) ? "" : AppCatalog.Printable(requestedBy.Trim());

    private static string? NullIfEmpty(string text) => string.IsNullOrEmpty(text) ? null : text;
}
