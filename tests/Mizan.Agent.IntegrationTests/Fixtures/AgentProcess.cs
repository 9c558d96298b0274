using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Mizan.Agent.V1;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// `dotnet mizan-agent.dll --config FILE` as a child of the test process, with a gRPC client over its unix socket.
/// Dispose kills it and removes the containers of its app (label mizan.app=APP), nothing else.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    public static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    private Process? process;
    private GrpcChannel? channel;
    private int generation;

    private AgentProcess(AgentConfig config)
    {
        Config = config;
    }

    public AgentConfig Config { get; }

    /// <summary>Everything the agent printed, across restarts.</summary>
    public OutputLog Output { get; } = new();

    public AgentService.AgentServiceClient Client { get; private set; } = null!;

    public int Pid => this.process?.Id ?? throw new InvalidOperationException("The agent is not running");

    public bool HasExited => this.process is null || this.process.HasExited;

    public static async Task<AgentProcess> StartAsync(AgentConfig config, CancellationToken cancellationToken)
    {
        var agent = new AgentProcess(config);
        try
        {
            await agent.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    /// <summary>SIGKILL by pid: no chance to clean up, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (this.process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The kernel's view of the agent's signals and threads (/proc/PID/status), for a failure message when a signal
    /// seems unanswered: is it pending, blocked or caught, and is the process still there.
    /// </summary>
    public string SignalState()
    {
        var status = $"/proc/{this.process?.Id}/status";
        return File.Exists(status)
            ? string.Join(", ", File.ReadLines(status).Where(l => l.StartsWith("State", StringComparison.Ordinal)
                || l.StartsWith("Threads", StringComparison.Ordinal)
                || l.StartsWith("Sig", StringComparison.Ordinal)
                || l.StartsWith("ShdPnd", StringComparison.Ordinal)))
            : $"the agent process is gone (exited: {this.process?.HasExited})";
    }

    /// <summary>SIGTERM by pid, as `systemctl stop` sends it, and waits until the agent has exited.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (this.process is { HasExited: false } process)
        {
            Signals.Send(process.Id, Signals.Term);
            await process.WaitForExitAsync(cancellationToken);
        }
    }

    /// <summary>SIGHUP, as `systemctl reload` sends it: the agent re-reads its trust list.</summary>
    public void Reload() => Signals.Send(Pid, Signals.Hup);

    /// <summary>Kills the agent if it still runs, starts it again with the same configuration and waits until it answers.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await KillAsync();
        await StartProcessAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        this.process?.Dispose();
        channel?.Dispose();
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await DockerCli.RemoveContainersWithLabelAsync(Config.ContainerLabel, cleanup.Token);
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var generation = ++this.generation;
        // Started as systemd starts it: with the default action for SIGHUP and SIGINT. A test run started under nohup
        // or in a shell's background inherits them ignored, and .NET honours an ignored signal, so a reload would go unheard.
        var startInfo = new ProcessStartInfo("env")
        {
            ArgumentList = { "--default-signal=HUP,INT,QUIT", "dotnet", RepoPaths.AgentDll, "--config", Config.FilePath },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Config.FilePath)!,
        };
        startInfo.Environment["DOTNET_NOLOGO"] = "1";

        Output.Append("", $"---- agent start #{generation} ----");
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Output.Append($"[{generation}] ", e.Data);
        process.ErrorDataReceived += (_, e) => Output.Append($"[{generation}!] ", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        this.process = process;

        channel?.Dispose();
        channel = UnixSocketChannel.Create(Config.SocketPath);
        Client = new AgentService.AgentServiceClient(channel);
        await WaitUntilAnsweringAsync(process, cancellationToken);
    }

    private async Task WaitUntilAnsweringAsync(Process process, CancellationToken cancellationToken)
    {
        await Eventually.TrueAsync(
            async token =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"mizan-agent exited with {process.ExitCode} before answering:{Environment.NewLine}{Output.Tail()}");
                }

                if (!File.Exists(Config.SocketPath))
                {
                    return false;
                }

                try
                {
                    // The standard health service answers even when Docker or nginx do not (GetStatus would not).
                    var health = await new Health.HealthClient(channel!).CheckAsync(
                        new HealthCheckRequest(),
                        deadline: DateTime.UtcNow.AddSeconds(2),
                        cancellationToken: token);
                    return health.Status == HealthCheckResponse.Types.ServingStatus.Serving;
                }
                catch (RpcException exception)
                    when (exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.NotFound)
                {
                    return false;
                }
            },
            ReadyDeadline,
            () => $"mizan-agent to answer grpc.health.v1 on {Config.SocketPath}; its output:{Environment.NewLine}{Output.Tail()}",
            cancellationToken);
    }
}
