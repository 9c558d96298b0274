using Mizan.Agent.Access.Audit;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Access;

/// <summary>Callers, the trust list, the rate limit and the audit log, for the composition root.</summary>
public static class AccessServices
{
    public static IServiceCollection AddAccess(this IServiceCollection services, AgentOptions options, TrustList trustList)
    {
        services.AddSingleton(trustList);
        services.AddSingleton(new LocalAccess(options.Security.LocalGroup));
        services.AddSingleton<AuditStore>();
        // A singleton, so the per-caller windows outlive a call (gRPC creates unregistered interceptors per call).
        services.AddSingleton<MutationRateLimitInterceptor>();
        return services;
    }
}
