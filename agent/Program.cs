using System.Reflection;
using Docker.DotNet;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mizan.Agent.Api;
using Mizan.Agent.Apps;
using Mizan.Agent.Configuration;
using Mizan.Agent.Containers;
using Mizan.Agent.Deployments;
using Mizan.Agent.Health;
using Mizan.Agent.Logging;
using Mizan.Agent.Security;
using Mizan.Agent.Store;
using Mizan.Agent.Traffic;
using Serilog;

// Composition root only: read the configuration, wire the folders together, serve gRPC on the unix socket.
if (args.Contains("--version"))
{
    Console.WriteLine($"mizan-agent {typeof(AgentOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
    return 0;
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
else
{
    builder.Services.AddSingleton<INginxControl, HostNginxControl>();
}

builder.Services.AddSingleton<ITrafficRouter, NginxUpstreamRouter>();

builder.Services.AddSingleton<AgentDatabase>();
builder.Services.AddSingleton<DeploymentStore>();
builder.Services.AddSingleton<StandbyStore>();

builder.Services.AddSingleton<DeploymentJournal>();
builder.Services.AddSingleton<SlotOperations>();
builder.Services.AddSingleton<TrafficSteps>();
builder.Services.AddSingleton<DeployRun>();
builder.Services.AddSingleton<RollbackRun>();
builder.Services.AddSingleton<DeploymentEngine>();
builder.Services.AddHostedService(services => services.GetRequiredService<DeploymentEngine>());
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(60));
builder.Services.AddSingleton<SlotCommands>();
builder.Services.AddSingleton<AppStatusQuery>();
builder.Services.AddSingleton<StartupReconciler>();
builder.Services.AddHostedService<StandbyExpiry>();

builder.Services.AddGrpc(grpc =>
{
    grpc.Interceptors.Add<RequestValidationInterceptor>();
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
