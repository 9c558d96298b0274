using System.Diagnostics;
using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A private Docker registry (Distribution 2.8, `docker-registry serve CONFIG`) on a free 127.0.0.1 port with
/// filesystem storage in a temp dir. The engine treats 127.0.0.0/8 registries as insecure, so plain http works.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private TestRegistry(TempDirectory directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", the registry part of an image reference.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public bool IsRunning => !_process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<TestRegistry> StartAsync(CancellationToken cancellationToken)
    {
        var directory = new TempDirectory("registry");
        var port = FreePorts.Next();
        var storage = directory.CreateSubdirectory("storage");
        var configFile = directory.Combine("config.yml");
        await File.WriteAllTextAsync(configFile, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """, cancellationToken);

        var startInfo = new ProcessStartInfo("docker-registry")
        {
            ArgumentList = { "serve", configFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("docker-registry did not start");
        var registry = new TestRegistry(directory, process, port);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitUntilAnsweringAsync(cancellationToken);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    /// <summary>Kills the registry process (the "registry down" case); the port stops answering.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>Kills the registry and removes its storage without waiting for anything: for the end of the run, when the host may be torn down any moment.</summary>
    public void KillAndForget()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        _directory.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _directory.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            async token =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"), token);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(15),
            () => $"registry on {Host} to answer /v2/; its output:{Environment.NewLine}{Output}",
            cancellationToken);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
        }
    }
}
