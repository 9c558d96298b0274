using Mizan.Agent.Access;
using Mizan.Agent.Hosting.Configuration;
using Mizan.Agent.Hosting.Systemd;

namespace Mizan.Agent.Hosting;

/// <summary>Running under systemd and re-reading the trust list on SIGHUP, for the composition root.</summary>
public static class HostingServices
{
    public static IServiceCollection AddHosting(this IServiceCollection services, ConfigurationFile configurationFile)
    {
        // Type=notify readiness, watchdog pings, reload notifications: all of it does nothing when NOTIFY_SOCKET is
        // unset (run by hand, in tests).
        services.AddSingleton(SystemdNotifier.FromEnvironment(Environment.GetEnvironmentVariable));
        services.AddSingleton(provider => new TrustListReloader(
            provider.GetRequiredService<TrustList>(),
            configurationFile,
            provider.GetRequiredService<ILogger<TrustListReloader>>(),
            provider.GetService<SystemdNotifier>(),
            provider.GetRequiredService<OpenTcpCalls>()));
        services.AddHostedService(provider => provider.GetRequiredService<TrustListReloader>());
        services.AddHostedService<SystemdReadiness>();
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}
