using System.Text;

namespace Mizan.Systemd.Tests.Fixtures;

/// <summary>
/// A container booting systemd as PID 1 from the cached Debian image: host network, the host's Docker socket (the
/// agent inside drives the host's engine) and the release directory mounted read-only at /release. Labelled
/// mizan.test=systemd and this run's id; removed by its id on dispose, with the app containers the agent started and
/// the nftables tables the test named. The host network means the host's network namespace: a table made inside the
/// machine is the host's, so each test names its own and it is deleted here.
/// </summary>
public sealed class SystemdMachine : IAsyncDisposable
{
    private readonly ITestOutputHelper output;
    private readonly List<string> apps = [];
    private readonly List<string> tables = [];

    private SystemdMachine(string id, ReleaseFiles release, ITestOutputHelper output)
    {
        Id = id;
        Release = release;
        this.output = output;
    }

    public string Id { get; }

    public ReleaseFiles Release { get; }

    /// <param name="bootSystemd">false: the same image running `sleep` instead of /sbin/init (a machine without systemd).</param>
    /// <param name="mountDockerSocket">false: a machine where Docker is missing.</param>
    public static async Task<SystemdMachine> BootAsync(
        ITestOutputHelper output,
        CancellationToken cancellationToken,
        bool bootSystemd = true,
        bool mountDockerSocket = true)
    {
        var image = await SystemdImage.GetAsync(cancellationToken);
        var release = await ReleaseFiles.GetAsync(cancellationToken);
        List<string> arguments =
        [
            "run", "--detach",
            "--label", $"{Docker.Label}=systemd", "--label", $"{Docker.Label}.run={Docker.RunId}",
            "--network", "host",
            "--volume", $"{release.Directory}:{ReleaseFiles.MountPoint}:ro",
        ];
        if (mountDockerSocket)
        {
            arguments.AddRange(["--volume", "/var/run/docker.sock:/var/run/docker.sock"]);
        }

        if (bootSystemd)
        {
            // What systemd needs as PID 1 here (see /work notes): --privileged fails on this engine, these do not.
            // NET_ADMIN: the unit passes CAP_NET_ADMIN to the agent for its nftables table, which it can only hand on
            // when the machine's bounding set holds it.
            arguments.AddRange([
                "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
                "--cgroupns", "host", "--volume", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
                "--env", "container=docker", image, "/sbin/init",
            ]);
        }
        else
        {
            arguments.AddRange([image, "sleep", "infinity"]);
        }

        var id = await Docker.RunAsync(arguments, cancellationToken);
        var machine = new SystemdMachine(id, release, output);
        if (bootSystemd)
        {
            // Right after `docker run` systemctl cannot reach PID 1 yet ("Failed to connect to bus"): ask again.
            ProcessResult? state = null;
            try
            {
                await Eventually.TrueAsync("systemd boots in the test machine", TimeSpan.FromSeconds(90), async () =>
                {
                    state = await machine.ExecAsync(["systemctl", "is-system-running", "--wait"], cancellationToken, TimeSpan.FromSeconds(90));
                    return state.StandardOutput.Trim() is "running" or "degraded";
                }, TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
                await machine.DisposeAsync();
                throw new InvalidOperationException($"systemd did not boot in the test machine: {state}");
            }

            output.WriteLine($"machine {id[..12]}: systemd is {state!.StandardOutput.Trim()}");
        }

        return machine;
    }

    public Task<ProcessResult> ExecAsync(
        IEnumerable<string> command,
        CancellationToken cancellationToken,
        TimeSpan? deadline = null,
        byte[]? standardInput = null)
    {
        List<string> arguments = standardInput is null ? ["exec", Id] : ["exec", "--interactive", Id];
        return Docker.TryAsync([.. arguments, .. command], cancellationToken, deadline ?? TimeSpan.FromMinutes(3), standardInput);
    }

    /// <summary>A bash script in the machine, as root; its output goes to the test's log.</summary>
    public async Task<ProcessResult> ShAsync(string script, CancellationToken cancellationToken, TimeSpan? deadline = null)
    {
        var result = await ExecAsync(["bash", "-c", script], cancellationToken, deadline);
        this.output.WriteLine($"$ {script}{Environment.NewLine}{result.Output.TrimEnd()}{Environment.NewLine}(exit {result.ExitCode})");
        return result;
    }

    /// <summary>Like <see cref="ShAsync"/>, and fails the test when the script fails.</summary>
    public async Task<string> MustAsync(string script, CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        (await ShAsync(script, cancellationToken, deadline)).EnsureSuccess().StandardOutput.Trim();

    public async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken) =>
        (await ExecAsync(
            ["sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\"", "sh", path],
            cancellationToken,
            standardInput: Encoding.UTF8.GetBytes(content)))
            .EnsureSuccess();

    /// <summary>Copies a file or directory of the host into the machine (`docker cp`: owned by root there, modes kept).</summary>
    public async Task CopyIntoAsync(string hostPath, string machinePath, CancellationToken cancellationToken) =>
        await Docker.RunAsync(["cp", hostPath, $"{Id}:{machinePath}"], cancellationToken);

    /// <summary>The agent's main pid as systemd sees it (0 when not running).</summary>
    public async Task<int> AgentPidAsync(CancellationToken cancellationToken) =>
        int.Parse(
            await MustAsync("systemctl show --property MainPID --value mizan-agent", cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Containers of this app (on the host's engine) are removed with the machine.</summary>
    public void Owns(string app) => apps.Add(app);

    /// <summary>This nftables table (family ip, in the host's network namespace) is deleted after the machine.</summary>
    public void OwnsTable(string table) => tables.Add(table);

    public async ValueTask DisposeAsync()
    {
        var journal = await ExecAsync(
            ["journalctl", "-u", "mizan-agent", "--no-pager", "-n", "60", "-o", "short-monotonic"],
            CancellationToken.None,
            TimeSpan.FromSeconds(20));
        this.output.WriteLine($"--- last journal lines of mizan-agent ---{Environment.NewLine}{journal.Output}");
        await Docker.TryAsync(["rm", "--force", "--volumes", Id], CancellationToken.None, TimeSpan.FromSeconds(60));
        foreach (var app in apps)
        {
            await Docker.RemoveContainersLabelledAsync($"mizan.app={app}", CancellationToken.None);
        }

        // After the machine, so no agent is left to write the table again.
        foreach (var table in tables)
        {
            try
            {
                var deleted = await ProcessRunner.RunAsync("nft", ["delete", "table", "ip", table], CancellationToken.None, TimeSpan.FromSeconds(20));
                this.output.WriteLine($"nft delete table ip {table}: exit {deleted.ExitCode} {deleted.Output.Trim()}");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                this.output.WriteLine($"nft delete table ip {table}: nft did not run on the host ({ex.Message}); tests/run.sh installs nftables");
            }
        }
    }
}
