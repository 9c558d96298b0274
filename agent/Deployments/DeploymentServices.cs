using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;

namespace Mizan.Agent.Deployments;

/// <summary>Deploys, rollbacks, the primitives, their history and the standby, for the composition root.</summary>
public static class DeploymentServices
{
    /// <summary>How long a stop waits for a running deploy to reach a safe point before it is cancelled.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    public static IServiceCollection AddDeployments(this IServiceCollection services)
    {
        services.AddSingleton<AppLocks>();
        services.AddSingleton<DeploymentStore>();
        services.AddSingleton<StandbyStore>();
        services.AddSingleton<SlotHealthGate>();
        services.AddSingleton<DeploymentJournal>();
        services.AddSingleton<SlotOperations>();
        services.AddSingleton<SlotAdmission>();
        services.AddSingleton<TrafficMove>();
        services.AddSingleton<TrafficSteps>();
        services.AddSingleton<DeployRun>();
        services.AddSingleton<StandbyReleases>();
        services.AddSingleton<RollbackRun>();
        services.AddSingleton<DeploymentEngine>();
        services.AddHostedService(provider => provider.GetRequiredService<DeploymentEngine>());
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        services.AddSingleton<SlotCommands>();
        services.AddSingleton<AppStatusQuery>();
        services.AddSingleton<StartupReconciler>();
        services.AddHostedService<StandbyExpiry>();
        return services;
    }
}
