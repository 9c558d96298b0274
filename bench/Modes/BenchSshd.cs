using System.Globalization;

namespace Mizan.Bench.Modes;

/// <summary>
/// The run's own OpenSSH server, so the baseline script can run as CI ran it: `ssh root@HOST "VAR=... switch.sh IMAGE"`.
/// `/usr/sbin/sshd -D -e -f CONFIG` (a child of the bench, stopped by its pid) on a free 127.0.0.1 port, with its
/// own host key, client key, authorized_keys, configuration, pid file and log in the run's directory: key
/// authentication for root only, no passwords, no PAM. The machine's own sshd (if any) and its configuration are
/// not touched. Every <see cref="RunAsync"/> is one fresh `ssh` process and connection: no ControlMaster, no
/// multiplexing, as a CI job has none.
/// </summary>
public sealed class BenchSshd : IAsyncDisposable
{
    public const string Daemon = "/usr/sbin/sshd";

    /// <summary>sshd's privilege separation directory; the Debian package creates it at boot, a container may lack it.</summary>
    private const string PrivilegeSeparationDirectory = "/run/sshd";

    private readonly ChildProcess process;
    private readonly string clientKey;

    private BenchSshd(ChildProcess process, int port, string clientKey)
    {
        this.process = process;
        Port = port;
        this.clientKey = clientKey;
    }

    public int Port { get; }

    /// <summary>Fails early, before anything is built or started, when OpenSSH's server or client is not installed.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(Daemon))
        {
            throw new FileNotFoundException(
                $"{Daemon} is missing: the warm-deploy baseline runs switch.sh over SSH to 127.0.0.1, as CI ran it, through an sshd " +
                "the bench starts itself. Install OpenSSH's server (the bench starts its own; the system's need not run): " +
                "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server",
                Daemon);
        }

        foreach (var program in new[] { "ssh", "ssh-keygen" })
        {
            if (!OnPath(program))
            {
                throw new FileNotFoundException($"{program} is not on PATH: install openssh-client (apt-get install openssh-client)", program);
            }
        }
    }

    public static async Task<BenchSshd> StartAsync(string directory, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(PrivilegeSeparationDirectory);
        var hostKey = Path.Combine(directory, "ssh_host_ed25519_key");
        var clientKey = Path.Combine(directory, "client_ed25519_key");
        await GenerateKeyAsync(hostKey, "mizan-bench sshd host key", cancellationToken);
        await GenerateKeyAsync(clientKey, "mizan-bench baseline client", cancellationToken);
        var authorizedKeys = Path.Combine(directory, "authorized_keys");
        File.Copy(clientKey + ".pub", authorizedKeys);

        var port = FreePorts.Next();
        var config = Path.Combine(directory, "sshd_config");
        // StrictModes no: the keys live under /tmp, whose permissions sshd's checks of the path would refuse.
        await File.WriteAllTextAsync(config, $"""
            # sshd of one mizan-bench --modes run: the baseline script runs through it, as CI ran it over SSH
            ListenAddress 127.0.0.1
            Port {port.ToString(CultureInfo.InvariantCulture)}
            HostKey {hostKey}
            PidFile {Path.Combine(directory, "sshd.pid")}
            AuthorizedKeysFile {authorizedKeys}
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            X11Forwarding no
            AllowTcpForwarding no
            PrintMotd no

            """, cancellationToken);

        var sshd = new BenchSshd(ChildProcess.Start(Daemon, ["-D", "-e", "-f", config], Path.Combine(directory, "sshd.log")), port, clientKey);
        try
        {
            await Eventually.TrueAsync(
                async token =>
                {
                    if (sshd.process.HasExited)
                    {
                        throw new InvalidOperationException($"sshd exited:{Environment.NewLine}{sshd.process.Tail()}");
                    }

                    return (await sshd.RunAsync("true", TimeSpan.FromSeconds(10), token)).ExitCode == 0;
                },
                TimeSpan.FromSeconds(20),
                () => $"sshd on 127.0.0.1:{port} to accept the bench's key ({sshd.process.LogFile})",
                cancellationToken,
                TimeSpan.FromMilliseconds(200));
        }
        catch
        {
            await sshd.DisposeAsync();
            throw;
        }

        return sshd;
    }

    /// <summary>
    /// One `ssh root@127.0.0.1 REMOTE_COMMAND`: a new process and a new connection (key exchange, authentication, a
    /// session and root's shell on the server side), the exit status of the remote command as its own.
    /// </summary>
    public Task<ProcessResult> RunAsync(string remoteCommand, TimeSpan deadline, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("ssh", Arguments(remoteCommand), cancellationToken, deadline);

    /// <summary>The ssh command line, for the run's description.</summary>
    public string Describe(string remoteCommand) =>
        "ssh " + string.Join(' ', Arguments(remoteCommand).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private string[] Arguments(string remoteCommand) =>
    [
        "-i", clientKey, "-p", Port.ToString(CultureInfo.InvariantCulture),
        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        // A fresh connection every time, whatever the user's ssh configuration says.
        "-o", "ControlMaster=no", "-o", "ControlPath=none",
        "-o", "LogLevel=ERROR",
        "root@127.0.0.1", remoteCommand,
    ];

    private static async Task GenerateKeyAsync(string path, string comment, CancellationToken cancellationToken) =>
        (await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], cancellationToken)).EnsureSuccess();

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
