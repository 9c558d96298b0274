using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Reporting.Dora;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Api;

/// <summary>Domain records to the wire contract and back; nothing else.</summary>
public static class ProtoMapping
{
    public static V1.Deployment ToProto(this DeploymentRecord record)
    {
        var message = new V1.Deployment
        {
            Id = record.Id,
            App = record.App,
            Kind = record.Kind == DeploymentKind.Deploy ? V1.DeploymentKind.Deploy : V1.DeploymentKind.Rollback,
            State = record.State switch
            {
                DeploymentState.Running => V1.DeploymentState.Running,
                DeploymentState.Succeeded => V1.DeploymentState.Succeeded,
                DeploymentState.Failed => V1.DeploymentState.Failed,
                DeploymentState.RolledBack => V1.DeploymentState.RolledBack,
                _ => V1.DeploymentState.Interrupted,
            },
            Image = record.Image,
            Digest = record.Digest ?? "",
            CommitSha = record.CommitSha ?? "",
            RequestedBy = record.RequestedBy,
            Caller = record.Caller ?? "",
            StartedAt = Timestamp.FromDateTimeOffset(record.StartedAt),
            FromSlot = record.FromSlot ?? "",
            ToSlot = record.ToSlot ?? "",
            Message = record.Message ?? "",
        };
        if (record.CommitTime is { } commitTime)
        {
            message.CommitTime = Timestamp.FromDateTimeOffset(commitTime);
        }

        if (record.EndedAt is { } endedAt)
        {
            message.EndedAt = Timestamp.FromDateTimeOffset(endedAt);
        }

        return message;
    }

    public static V1.DeploymentEvent ToProto(this DeploymentEventRecord record)
    {
        var message = new V1.DeploymentEvent
        {
            DeploymentId = record.DeploymentId,
            Sequence = record.Sequence,
            At = Timestamp.FromDateTimeOffset(record.At),
            Step = (V1.Step)((int)record.Step + 1),
            Status = (V1.StepStatus)((int)record.Status + 1),
            Message = record.Message,
        };
        foreach (var (key, value) in record.Details)
        {
            message.Details[key] = value;
        }
        if (record.Result is { } result)
        {
            message.Result = result.ToProto();
        }

        return message;
    }

    public static V1.AuditEntry ToProto(this AuditRecord record) => new()
    {
        At = Timestamp.FromDateTimeOffset(record.At),
        Caller = record.Caller,
        CallerThumbprint = record.Thumbprint ?? "",
        Role = record.Role,
        Action = record.Action,
        App = record.App,
        Detail = record.Detail,
        Peer = record.Peer,
        Outcome = record.Outcome,
        DeploymentId = record.DeploymentId ?? "",
    };

    public static V1.GetMetricsResponse ToProto(this DoraReport report)
    {
        var response = new V1.GetMetricsResponse
        {
            App = report.App ?? "",
            From = Timestamp.FromDateTimeOffset(report.From),
            To = Timestamp.FromDateTimeOffset(report.To),
        };
        foreach (var figure in report.Figures)
        {
            response.Metrics.Add(new V1.Metric
            {
                Name = figure.Name,
                Title = figure.Title,
                Value = figure.Value ?? 0,
                HasValue = figure.Value is not null,
                Unit = figure.Unit,
                SampleSize = figure.SampleSize,
                Level = figure.Level switch
                {
                    PerformanceLevel.Elite => V1.PerformanceLevel.Elite,
                    PerformanceLevel.High => V1.PerformanceLevel.High,
                    PerformanceLevel.Medium => V1.PerformanceLevel.Medium,
                    PerformanceLevel.Low => V1.PerformanceLevel.Low,
                    _ => V1.PerformanceLevel.NoData,
                },
                Definition = figure.Definition,
            });
        }

        return response;
    }

    public static V1.TrafficSplit ToProto(this TrafficRoute route, TrafficMode mode) => new()
    {
        LiveSlot = SlotNames.Name(route.Live),
        LivePercent = 100 - route.OtherPercent,
        OtherSlot = SlotNames.Name(route.Other),
        OtherPercent = route.OtherPercent,
        BackupSlot = route.Backup ? SlotNames.Name(route.Other) : "",
        Mode = mode.ToString(),
    };

    public static V1.AppStatus ToProto(this AppView view)
    {
        var status = new V1.AppStatus
        {
            App = view.App,
            LiveSlot = view.Live is { } live ? SlotNames.Name(live) : "",
            RunningDeploymentId = view.RunningDeploymentId ?? "",
        };
        if (view.LastDeployment is { } last)
        {
            status.LastDeployment = last.ToProto();
        }

        if (view.Route is { } route)
        {
            status.Traffic = route.ToProto(view.Mode);
        }

        foreach (var slot in view.Slots)
        {
            var proto = new V1.SlotStatus
            {
                Slot = SlotNames.Name(slot.Slot),
                Port = slot.Port,
                Live = slot.Live,
                Image = slot.Container?.Image ?? "",
                Digest = slot.Container?.Digest ?? "",
                ContainerId = slot.Container?.Id ?? "",
                State = slot.Container?.State ?? "missing",
                Health = slot.Health,
            };
            if (slot.StandbyUntil is { } until)
            {
                proto.StandbyUntil = Timestamp.FromDateTimeOffset(until);
            }

            status.Slots.Add(proto);
        }

        return status;
    }

    public static V1.GetHealthResponse ToProto(this HealthView view)
    {
        var response = new V1.GetHealthResponse { At = Timestamp.FromDateTimeOffset(view.At) };
        response.Checks.Add(view.Checks.Select(state => state.ToProto()));
        response.OpenIncidents.Add(view.OpenIncidents.Select(incident => incident.ToProto()));
        return response;
    }

    public static V1.CheckResult ToProto(this CheckState state) => new()
    {
        Name = state.Name,
        App = state.App,
        Status = state.Status switch
        {
            CheckStatus.Ok => V1.CheckStatus.Ok,
            CheckStatus.Warning => V1.CheckStatus.Warning,
            _ => V1.CheckStatus.Failing,
        },
        Message = state.Latest.Message,
        At = Timestamp.FromDateTimeOffset(state.Latest.At),
        DurationMs = (long)state.Latest.Duration.TotalMilliseconds,
        ConsecutiveFailures = state.ConsecutiveFailures,
        StatusSince = Timestamp.FromDateTimeOffset(state.StatusSince),
    };

    public static V1.Incident ToProto(this IncidentRecord incident)
    {
        var message = new V1.Incident
        {
            Id = incident.Id,
            App = incident.App,
            OpenedAt = Timestamp.FromDateTimeOffset(incident.OpenedAt),
            Reason = incident.Reason,
            Resolution = incident.Resolution ?? "",
            DeploymentId = incident.DeploymentId ?? "",
        };
        if (incident.ClosedAt is { } closed)
        {
            message.ClosedAt = Timestamp.FromDateTimeOffset(closed);
        }

        return message;
    }
}
