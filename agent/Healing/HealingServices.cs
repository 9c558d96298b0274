using System.Security.Cryptography.X509Certificates;
using Mizan.Agent.Healing.Incidents;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Healing;

/// <summary>The self-checks, auto-heal and incidents, for the composition root.</summary>
public static class HealingServices
{
    /// <param name="listenerCertificate">What the TCP listener presents (null when it is off), for the certificate check.</param>
    public static IServiceCollection AddHealing(this IServiceCollection services, X509Certificate2? listenerCertificate)
    {
        services.AddSingleton(new ListenerCertificate(listenerCertificate));
        services.AddSingleton<CheckResultStore>();
        services.AddSingleton<AgentChecks>();
        services.AddSingleton<AppChecks>();
        services.AddSingleton<AppServingStatus>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<OpenIncidents>();
        services.AddSingleton<HealthReport>();
        services.AddSingleton<IncidentTracker>();
        services.AddSingleton<ITrafficRepairObserver, TrafficRepairIncidents>();
        services.AddSingleton<AutoHealer>();
        services.AddHostedService(provider => provider.GetRequiredService<AutoHealer>());
        services.AddSingleton<SelfCheckRunner>();
        services.AddTransient<SelfCheckJob>();
        return services;
    }
}
