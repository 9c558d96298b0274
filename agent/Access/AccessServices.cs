using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Retention;

namespace Mizan.Agent.Access;

/// <summary>Callers, the trust list, the limits and the audit log, for the composition root.</summary>
public static class AccessServices
{
    public static IServiceCollection AddAccess(this IServiceCollection services, AgentOptions options, TrustList trustList)
    {
        services.AddSingleton(trustList);
        services.AddSingleton(new LocalAccess(options.Security.LocalGroup));
        services.AddSingleton<OpenTcpCalls>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IExpiringRecords, AuditExpiry>();
        services.AddSingleton<RefusalAuditThrottle>();
        services.AddSingleton<RefusalSummaryWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<RefusalSummaryWriter>());
        // Singletons, so the per-caller windows and counts outlive a call (gRPC creates unregistered interceptors per call).
        services.AddSingleton<MutationRateLimitInterceptor>();
        services.AddSingleton<ReadConcurrencyInterceptor>();
        return services;
    }
}
