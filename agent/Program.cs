using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mizan.Agent.Access;
using Mizan.Agent.Api;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Deployments;
using Mizan.Agent.Healing;
using Mizan.Agent.Healing.SelfChecks;
using Mizan.Agent.Hosting;
using Mizan.Agent.Hosting.Configuration;
using Mizan.Agent.Hosting.Logging;
using Mizan.Agent.Reporting;
using Mizan.Agent.Retention;
using Mizan.Agent.Runtime;
using Serilog;

// The composition root: read the configuration, register each area, serve gRPC on the unix socket (and on TCP with
// mutual TLS when a client is trusted). What each area registers is in its own AddX().
if (args.Contains("--version"))
{
    var version = typeof(AgentOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
    Console.WriteLine($"mizan-agent {version}");
    return 0;
}

if (CertCommand.Matches(args))
{
    return await CertCommand.RunAsync(args);
}

var builder = WebApplication.CreateSlimBuilder();
ConfigurationFile configurationFile;
AgentOptions options;
try
{
    configurationFile = ConfigurationFile.FromArguments(args);
    builder.Configuration.Sources.Clear();
    AgentConfiguration.AddSources(builder.Configuration, configurationFile);
    options = AgentConfiguration.Load(builder.Configuration, configurationFile.Path);
}
catch (Exception ex) when (ex is InvalidConfigurationException or InvalidDataException or FormatException)
{
    await Console.Error.WriteLineAsync($"mizan-agent: {ex.Message}");
    return 2;
}

Log.Logger = AgentLogging.Create(options.Agent.LogDirectory, AgentLogging.IsUnderJournal());
builder.Host.UseSerilog();

// The TCP listener starts only when a client is trusted at start; a SIGHUP can change the list, not open the door.
var trustList = new TrustList(options.Security.Clients);
X509Certificate2? serverCertificate = null;
if (trustList.ClientCount > 0)
{
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
}

builder.Services.AddSingleton(Options.Create(options));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services
    .AddRuntime(options)
    .AddApps()
    .AddReporting()
    .AddDeployments()
    .AddHealing(serverCertificate)
    .AddRetention()
    .AddAgentSchedules(options)
    .AddAccess(options, trustList)
    .AddApi()
    .AddHosting(configurationFile);

var socketPath = options.Agent.SocketPath;
Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
if (File.Exists(socketPath))
{
    // A socket left by a killed agent would make the bind fail.
    File.Delete(socketPath);
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));
if (serverCertificate is null)
{
    Log.Information("TCP listener not started: no client is trusted (Security:Clients is empty); only the unix socket serves");
}
else
{
    builder.WebHost.ConfigureKestrel(kestrel =>
        MutualTlsListener.Listen(kestrel, options.Security.Tcp, serverCertificate, trustList, TimeProvider.System));
    Log.Information(
        "TCP listener with mutual TLS on {Address}:{Port}, server certificate SHA-256 {Thumbprint}, {ClientCount} trusted client(s)",
        options.Security.Tcp.Address,
        options.Security.Tcp.Port,
        Thumbprints.Of(serverCertificate),
        trustList.ClientCount);
}

var app = builder.Build();
app.MapApi();

try
{
    await app.Services.GetRequiredService<StartupReconciler>().ReconcileAsync(app.Lifetime.ApplicationStopping);
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Log.Warning("Reconciliation at start failed: {Reason}; serving anyway", ex.Message);
}

// Each app is a health service of its own: SERVICE_UNKNOWN until its first check.
app.Services.GetRequiredService<AppServingStatus>().Initialize();

app.Lifetime.ApplicationStarted.Register(() =>
{
    File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    ApiServices.MarkServing(app.Services);
    Log.Information(
        "mizan-agent listening on unix:{SocketPath} with {AppCount} app(s): {Apps}",
        socketPath,
        options.Apps.Count,
        string.Join(", ", options.Apps.Keys));
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
