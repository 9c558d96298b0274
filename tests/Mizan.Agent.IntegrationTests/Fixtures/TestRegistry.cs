using System.Diagnostics;
using System.Text;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// A private Docker registry (Distribution 2.8, `docker-registry serve CONFIG`) on a free 127.0.0.1 port with
/// filesystem storage in a temp dir. The engine treats 127.0.0.0/8 registries as insecure, so plain http works.
/// With a <see cref="RegistryLogin"/> it requires that login (htpasswd auth) and pushes through a docker CLI logged in to it.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly Process process;
    private readonly StringBuilder output = new();

    private TestRegistry(TempDirectory directory, Process process, int port, RegistryLogin? login)
    {
        this.directory = directory;
        this.process = process;
        Port = port;
        Login = login;
        this.process.OutputDataReceived += (_, e) => Append(e.Data);
        this.process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", the registry part of an image reference.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public bool IsRunning => !this.process.HasExited;

    /// <summary>The login the registry requires; null when it is open.</summary>
    public RegistryLogin? Login { get; }

    /// <summary>The docker CLI logged in to this registry; null when it is open.</summary>
    public DockerClientConfig? Client { get; private set; }

    /// <summary>The environment of a docker command that talks to this registry (push).</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => Client?.Environment ?? DockerCli.Environment;

    public string Output
    {
        get
        {
            lock (this.output)
            {
                return this.output.ToString();
            }
        }
    }

    public static async Task<TestRegistry> StartAsync(CancellationToken cancellationToken, RegistryLogin? login = null)
    {
        var directory = new TempDirectory("registry");
        var port = FreePorts.Next();
        var storage = directory.CreateSubdirectory("storage");
        var configFile = directory.Combine("config.yml");
        var auth = "";
        if (login is not null)
        {
            var htpasswd = directory.Combine("htpasswd");
            await File.WriteAllTextAsync(htpasswd, await login.HtpasswdLineAsync(cancellationToken) + "\n", cancellationToken);
            auth = $"""
                auth:
                  htpasswd:
                    realm: mizan-test
                    path: {htpasswd}
                """;
        }

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
            {auth}
            """, cancellationToken);

        var startInfo = new ProcessStartInfo("docker-registry")
        {
            ArgumentList = { "serve", configFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("docker-registry did not start");
        var registry = new TestRegistry(directory, process, port, login);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitUntilAnsweringAsync(cancellationToken);
            if (login is not null)
            {
                registry.Client = await DockerClientConfig.LoginAsync(directory.CreateSubdirectory("docker-client"), registry.Host, login, cancellationToken);
            }
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
        if (this.process.HasExited)
        {
            return;
        }

        this.process.Kill(entireProcessTree: true);
        await this.process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>
    /// Kills the registry and removes its storage without waiting for anything: for the end of the run, when the host
    /// may be torn down any moment.
    /// </summary>
    public void KillAndForget()
    {
        try
        {
            this.process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        this.directory.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        this.process.Dispose();
        this.directory.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            async token =>
            {
                if (this.process.HasExited)
                {
                    throw new InvalidOperationException($"docker-registry exited with {this.process.ExitCode}:{Environment.NewLine}{Output}");
                }

                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{Host}/v2/"));
                    if (Login is not null)
                    {
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Login.Base64);
                    }

                    using var response = await http.SendAsync(request, token);
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

        lock (this.output)
        {
            this.output.Append(line).Append('\n');
        }
    }
}
