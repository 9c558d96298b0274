using Docker.DotNet;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Probes;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Runtime.Traffic.Redirect;

namespace Mizan.Agent.Runtime;

/// <summary>Docker, nginx and traffic, HTTP probes and the SQLite file, for the composition root.</summary>
public static class RuntimeServices
{
    public static IServiceCollection AddRuntime(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton<DockerEndpoint>();
        services.AddSingleton<IDockerClient>(provider => provider.GetRequiredService<DockerEndpoint>().CreateClient());
        services.AddSingleton<RegistryCredentialStore>();
        services.AddSingleton<IContainerRuntime, DockerContainerRuntime>();

        services.AddSingleton(new HttpProbe(new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })));

        switch (options.Nginx.Mode)
        {
            case NginxMode.Container:
                services.AddSingleton<INginxControl, ContainerNginxControl>();
                break;
            case NginxMode.Helper:
                // The agent runs as its own user; a root helper tests and reloads the host's nginx for it.
                services.AddSingleton<INginxControl, HelperNginxControl>();
                break;
            default:
                services.AddSingleton<INginxControl, HostNginxControl>();
                break;
        }

        services.AddSingleton<UpstreamFileWriter>();
        // Both modes read it: the reload mode to take back a server the redirect mode served.
        services.AddSingleton<TrafficRouteStore>();
        if (options.Traffic.Mode == TrafficMode.Redirect)
        {
            services.AddSingleton<INftables>(_ => LibNftables.Open());
            services.AddSingleton<RedirectRouter>();
            services.AddSingleton<ITrafficRouter>(provider => provider.GetRequiredService<RedirectRouter>());
            services.AddHostedService<RedirectDriftRepair>();
        }
        else
        {
            services.AddSingleton<ITrafficRouter, NginxUpstreamRouter>();
        }

        services.AddSingleton<TrafficVerifier>();
        services.AddSingleton<AgentDatabase>();
        return services;
    }
}
