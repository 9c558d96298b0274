using System.Diagnostics;
using Mizan.Agent.IntegrationTests.Fixtures;

namespace Mizan.Bench.Modes;

/// <summary>
/// A long-running child of the bench (registry, nginx, an agent, a server): its output goes to a log file, and it is
/// stopped by its pid only: SIGTERM, then SIGKILL when it lingers.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock writing = new();

    private ChildProcess(Process process, StreamWriter log, string logFile)
    {
        this.process = process;
        this.log = log;
        LogFile = logFile;
    }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public string LogFile { get; }

    public static ChildProcess Start(
        string program,
        IEnumerable<string> arguments,
        string logFile,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        // Started as systemd starts a service: with the default action for SIGHUP, SIGINT and SIGQUIT. A bench run under
        // nohup or in a shell's background inherits them ignored, and .NET honours an ignored signal.
        var startInfo = new ProcessStartInfo("env")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in (string[])["--default-signal=HUP,INT,QUIT", program, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var writer = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(startInfo);
        if (process is null)
        {
            writer.Dispose();
            throw new InvalidOperationException($"{program} did not start");
        }

        var child = new ChildProcess(process, writer, logFile);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines of its output, for an error message.</summary>
    public string Tail(int lines = 30)
    {
        lock (writing)
        {
            try
            {
                using var reader = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException exception)
            {
                return $"(cannot read {LogFile}: {exception.Message})";
            }
        }
    }

    /// <summary>SIGTERM by pid, then SIGKILL of the process after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        Signals.Send(process.Id, Signals.Term);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        // Once exited, this wait also drains the output readers, so nothing is written to the log after it is closed.
        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
        lock (writing)
        {
            log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writing)
        {
            log.WriteLine(line);
        }
    }
}
