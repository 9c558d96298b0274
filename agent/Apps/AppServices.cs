using Mizan.Agent.Apps.Events;

namespace Mizan.Agent.Apps;

/// <summary>The catalog of declared apps and the event stream, for the composition root.</summary>
public static class AppServices
{
    public static IServiceCollection AddApps(this IServiceCollection services)
    {
        services.AddSingleton<AppCatalog>();
        services.AddSingleton<AgentEvents>();
        return services;
    }
}
