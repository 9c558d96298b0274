using System.Reflection;
using Docker.DotNet;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mizan.Agent.Access;
using Mizan.Agent.Access.Audit;
using Mizan.Agent.Api;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Deployments.History;
using Mizan.Agent.Deployments.Standby;
using Mizan.Agent.Healing;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Hosting;
using Mizan.Agent.Hosting.Configuration;
using Mizan.Agent.Hosting.Logging;
using Mizan.Agent.Hosting.Systemd;
using Mizan.Agent.Reporting.Dora;
using Mizan.Agent.Reporting.Metrics;
using Mizan.Agent.Reporting.Notifications;
using Mizan.Agent.Retention;
using Mizan.Agent.Runtime.Containers;
using Mizan.Agent.Runtime.Probes;
using Mizan.Agent.Runtime.Storage;
using Mizan.Agent.Runtime.Traffic;
using Serilog;

// Composition root only: read the configuration, wire the folders together, serve gRPC on the unix socket.
if (args.Contains("--version"))
{
    Console.WriteLine($"mizan-agent {typeof(AgentOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
    return 0;
}

// Security (issue 3): `mizan-agent cert show [--config PATH]` prints the server certificate's thumbprint and exits.
if (CertCommand.Matches(args))
{
    return await CertCommand.RunAsync(args);
}

var builder = WebApplication.CreateSlimBuilder();
AgentOptions options;
try
{
    var configPath = AgentConfiguration.PathFrom(args);
    builder.Configuration.Sources.Clear();
    AgentConfiguration.AddSources(builder.Configuration, configPath, explicitPath: args.Contains("--config"));
    options = AgentConfiguration.Load(builder.Configuration, configPath);
}
catch (Exception ex) when (ex is InvalidConfigurationException or InvalidDataException or FormatException)
{
    await Console.Error.WriteLineAsync($"mizan-agent: {ex.Message}");
    return 2;
}

Log.Logger = AgentLogging.Create(options.Agent.LogDirectory, AgentLogging.IsUnderJournal());
builder.Host.UseSerilog();
builder.Services.AddSingleton(Options.Create(options));
builder.Services.AddSingleton(TimeProvider.System);

builder.Services.AddSingleton<AppCatalog>();
builder.Services.AddSingleton<AppLocks>();

builder.Services.AddSingleton<DockerEndpoint>();
builder.Services.AddSingleton<IDockerClient>(services => services.GetRequiredService<DockerEndpoint>().CreateClient());
builder.Services.AddSingleton<RegistryCredentialStore>();
builder.Services.AddSingleton<IContainerRuntime, DockerContainerRuntime>();

builder.Services.AddSingleton(new HttpProbe(new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })));
builder.Services.AddSingleton<SlotHealthGate>();

builder.Services.AddSingleton<TrafficVerifier>();
if (options.Nginx.Mode == NginxMode.Container)
{
    builder.Services.AddSingleton<INginxControl, ContainerNginxControl>();
}
else if (options.Nginx.Mode == NginxMode.Helper)
{
    // Issue 5: the agent runs as its own user; a root helper tests and reloads the host's nginx for it.
    builder.Services.AddSingleton<INginxControl, HelperNginxControl>();
}
else
{
    builder.Services.AddSingleton<INginxControl, HostNginxControl>();
}

builder.Services.AddSingleton<ITrafficRouter, NginxUpstreamRouter>();

builder.Services.AddSingleton<AgentDatabase>();
builder.Services.AddSingleton<DeploymentStore>();
builder.Services.AddSingleton<AuditStore>();
builder.Services.AddSingleton<AgentEvents>();

// ---- Notifications (issue 4): webhooks (Json, Slack, Discord) for deploy, rollback, auto-heal, check and incident events ----
// Registered before the deployment engine: hosted services stop in reverse order, so the webhooks still hear the deploys
// that a shutdown interrupts, then get a brief flush. The URLs are secrets: only webhook names are ever logged.
builder.Services.AddSingleton<NotificationMetrics>();
builder.Services.AddSingleton(services => new WebhookSender(
    WebhookHttp.CreateClient(),
    services.GetRequiredService<TimeProvider>(),
    WebhookBackoff.Default,
    services.GetRequiredService<ILogger<WebhookSender>>()));
builder.Services.AddHostedService<WebhookNotifier>();
// ---- end of Notifications ----

// ---- Metrics (issue 4): DORA figures for GetMetrics, instruments on the "Mizan.Agent" meter, Prometheus /metrics ----
builder.Services.AddSingleton<DoraQuery>();
builder.Services.AddSingleton<DeploymentInstruments>();
builder.Services.AddSingleton<IDeploymentObserver>(services => services.GetRequiredService<DeploymentInstruments>());
builder.Services.AddSingleton<HealthMetrics>();
builder.Services.AddSingleton<ICheckObserver>(services => services.GetRequiredService<HealthMetrics>());
builder.Services.AddSingleton<DoraGauges>();
builder.Services.AddHostedService(services => services.GetRequiredService<DoraGauges>());
builder.Services.AddHostedService<PrometheusEndpoint>();

// ---- end of Metrics ----

// A singleton, so the per-caller windows outlive a call (gRPC creates unregistered interceptors per call).
builder.Services.AddSingleton<MutationRateLimitInterceptor>();
builder.Services.AddSingleton<StandbyStore>();

builder.Services.AddSingleton<DeploymentJournal>();
builder.Services.AddSingleton<SlotOperations>();
builder.Services.AddSingleton<TrafficSteps>();
builder.Services.AddSingleton<DeployRun>();
builder.Services.AddSingleton<StandbyReleases>();
builder.Services.AddSingleton<RollbackRun>();
builder.Services.AddSingleton<DeploymentEngine>();
builder.Services.AddHostedService(services => services.GetRequiredService<DeploymentEngine>());
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(60));
builder.Services.AddSingleton<SlotCommands>();
builder.Services.AddSingleton<AppStatusQuery>();
builder.Services.AddSingleton<StartupReconciler>();
builder.Services.AddHostedService<StandbyExpiry>();

// Scheduled self-checks (Checks), auto-heal with incidents (Apps:NAME:AutoHeal), retention (Retention).
builder.Services.AddHealing();
builder.Services.AddRetention();
builder.Services.AddAgentSchedules(options);

builder.Services.AddGrpc(grpc =>
{
    // First = outermost. They apply to every service mapped below, health and reflection included.
    grpc.Interceptors.Add<AuthenticationInterceptor>();
    // Audit after authentication, so it knows the caller; before validation and authorization, so refusals are recorded.
    grpc.Interceptors.Add<AuditInterceptor>();
    grpc.Interceptors.Add<RequestValidationInterceptor>();
    grpc.Interceptors.Add<AuthorizationInterceptor>();
    // Only calls that are valid and allowed count against the caller's allowance.
    grpc.Interceptors.Add<MutationRateLimitInterceptor>();
    grpc.Interceptors.Add<ErrorMappingInterceptor>();

    // Above any honest request, below what would let one call tie up memory; 1 MB values still reach validation.
    grpc.MaxReceiveMessageSize = 2 * 1024 * 1024;
});
builder.Services.AddGrpcReflection();
builder.Services.AddSingleton<HealthServiceImpl>();

var socketPath = options.Agent.SocketPath;
Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
if (File.Exists(socketPath))
{
    // A socket left by a killed agent would make the bind fail.
    File.Delete(socketPath);
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));

// ---- Security (issue 3): callers, trust list, SIGHUP reload, mutual-TLS TCP listener ----
// Unix socket: root and Security:LocalGroup are admin (SO_PEERCRED). TCP: client certificates by SHA-256 thumbprint
// (Security:Clients), re-read on SIGHUP. The TCP listener starts only when a client is trusted at start.
var trustList = new TrustList(options.Security.Clients);
builder.Services.AddSingleton(trustList);
builder.Services.AddSingleton(new LocalAccess(options.Security.LocalGroup));
builder.Services.AddSingleton(services => new TrustListReloader(
    trustList,
    AgentConfiguration.PathFrom(args),
    explicitPath: args.Contains("--config"),
    services.GetRequiredService<ILogger<TrustListReloader>>(),
    services.GetService<SystemdNotifier>()));
builder.Services.AddHostedService(services => services.GetRequiredService<TrustListReloader>());
if (trustList.ClientCount == 0)
{
    Log.Information("TCP listener not started: no client is trusted (Security:Clients is empty); only the unix socket serves");
}
else
{
    System.Security.Cryptography.X509Certificates.X509Certificate2 serverCertificate;
    try
    {
        serverCertificate = ServerCertificate.LoadOrCreate(options, TimeProvider.System);
    }
    catch (InvalidConfigurationException ex)
    {
        Log.Fatal("mizan-agent: {Reason}", ex.Message);
        await Log.CloseAndFlushAsync();
        return 2;
    }

    builder.Services.AddSingleton(new ListenerCertificate { Certificate = serverCertificate });
    builder.WebHost.ConfigureKestrel(kestrel => MutualTlsListener.Listen(kestrel, options.Security.Tcp, serverCertificate, trustList, TimeProvider.System));
    Log.Information(
        "TCP listener with mutual TLS on {Address}:{Port}, server certificate SHA-256 {Thumbprint}, {ClientCount} trusted client(s)",
        options.Security.Tcp.Address,
        options.Security.Tcp.Port,
        Thumbprints.Of(serverCertificate),
        trustList.ClientCount);
}

// ---- end of Security ----

// ---- Hosting under systemd (issue 5): Type=notify readiness, watchdog pings, reload notifications ----
// All of it does nothing when NOTIFY_SOCKET is unset (run by hand, in tests).
builder.Services.AddSingleton(SystemdNotifier.FromEnvironment(Environment.GetEnvironmentVariable));
builder.Services.AddHostedService<SystemdReadiness>();
builder.Services.AddHostedService<SystemdWatchdog>();
// ---- end of Hosting under systemd ----

var app = builder.Build();
app.MapGrpcService<AgentGrpcService>();
app.MapGrpcService<HealthServiceImpl>();
app.MapGrpcReflectionService();

try
{
    await app.Services.GetRequiredService<StartupReconciler>().ReconcileAsync(app.Lifetime.ApplicationStopping);
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Log.Warning("Reconciliation at start failed: {Reason}; serving anyway", ex.Message);
}

// Until the agent has started, health says NOT_SERVING (not NOT_FOUND), so a probe that arrives early just waits.
var startingHealth = app.Services.GetRequiredService<HealthServiceImpl>();
startingHealth.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
startingHealth.SetStatus(Mizan.Agent.V1.AgentService.Descriptor.FullName, HealthCheckResponse.Types.ServingStatus.NotServing);

// Each app is a health service of its own: SERVICE_UNKNOWN until its first check.
app.Services.GetRequiredService<AppServingStatus>().Initialize();

app.Lifetime.ApplicationStarted.Register(() =>
{
    File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    var health = app.Services.GetRequiredService<HealthServiceImpl>();
    health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
    health.SetStatus(Mizan.Agent.V1.AgentService.Descriptor.FullName, HealthCheckResponse.Types.ServingStatus.Serving);
    Log.Information("mizan-agent listening on unix:{SocketPath} with {AppCount} app(s): {Apps}", socketPath, options.Apps.Count, string.Join(", ", options.Apps.Keys));
});

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex)
{
    Log.Fatal(ex, "mizan-agent stopped: {Reason}", ex.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
