using Grpc.Health.V1;
using Grpc.HealthCheck;
using Mizan.Agent.Apps;

namespace Mizan.Agent.Healing.SelfChecks;

/// <summary>
/// Each app as its own grpc.health.v1 service, named by the app (app names cannot contain dots, so they never collide
/// with a gRPC service name): SERVING while its live slot's latest check passes, NOT_SERVING while it fails or when the
/// app was never switched live, SERVICE_UNKNOWN until the first check. The "" service keeps meaning "the agent is up":
/// no check flips it, or a supervisor watching it would restart a healthy agent.
/// </summary>
public sealed class AppServingStatus(HealthServiceImpl health, AppCatalog apps)
{
    public void Initialize()
    {
        foreach (var app in apps.Names)
        {
            health.SetStatus(app, HealthCheckResponse.Types.ServingStatus.ServiceUnknown);
        }
    }

    public void Publish(string app, Slot? live, CheckState? liveCheck) =>
        health.SetStatus(app, StatusOf(live is not null, liveCheck?.Status));

    public static HealthCheckResponse.Types.ServingStatus StatusOf(bool hasLive, CheckStatus? liveStatus) => (hasLive, liveStatus) switch
    {
        (_, null) => HealthCheckResponse.Types.ServingStatus.ServiceUnknown,
        (false, _) => HealthCheckResponse.Types.ServingStatus.NotServing,
        (true, CheckStatus.Failing) => HealthCheckResponse.Types.ServingStatus.NotServing,
        _ => HealthCheckResponse.Types.ServingStatus.Serving,
    };
}
