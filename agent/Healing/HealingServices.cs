using Mizan.Agent.Apps.Options;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Hosting;
using Mizan.Agent.Reporting.Metrics;
using Mizan.Agent.Retention;

namespace Mizan.Agent.Healing;

/// <summary>Wires the self-checks, auto-heal, retention and their schedules (issue 4) into the composition root.</summary>
public static class SelfCheckServices
{
    public static IServiceCollection AddSelfChecksAndHealing(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton<ListenerCertificate>();
        services.AddSingleton<CheckResultStore>();
        services.AddSingleton<AgentChecks>();
        services.AddSingleton<AppChecks>();
        services.AddSingleton<AppServingStatus>();
        services.AddSingleton<OpenIncidents>();
        services.AddSingleton<HealthMetrics>();
        services.AddSingleton<HealthReport>();
        services.AddSingleton<IncidentTracker>();
        services.AddSingleton<AutoHealer>();
        services.AddHostedService(provider => provider.GetRequiredService<AutoHealer>());
        services.AddSingleton<SelfCheckRunner>();
        services.AddSingleton<RetentionRunner>();
        services.AddTransient<SelfCheckJob>();
        services.AddTransient<RetentionJob>();
        services.AddAgentSchedules(options);
        return services;
    }
}
