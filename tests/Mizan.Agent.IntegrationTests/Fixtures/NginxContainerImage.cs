using System.Text.RegularExpressions;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// An image holding the host's /usr/sbin/nginx, the libraries `ldd` lists for it and passwd/group entries,
/// built once per test run with `docker import` (no registry needed). It reads /etc/nginx/nginx.conf,
/// which the container bind-mounts.
/// </summary>
public static partial class NginxContainerImage
{
    private static readonly Lazy<Task<string>> Built = new(BuildOnceAsync);

    public static Task<string> GetAsync(CancellationToken cancellationToken) => Built.Value.WaitAsync(cancellationToken);

    private static async Task<string> BuildOnceAsync()
    {
        var cancellationToken = CancellationToken.None;
        await RunCleanup.EnsureRegisteredAsync(cancellationToken);
        var ldd = (await ProcessRunner.RunAsync("ldd", [TestNginx.Binary], cancellationToken, TimeSpan.FromSeconds(10))).EnsureSuccess();
        var rootfs = new RootfsTar()
            .HostFile(TestNginx.Binary)
            .TextFile(
                "/etc/passwd",
                "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
                + "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n")
            .TextFile("/etc/group", "root:x:0:\nnogroup:x:65534:\nwww-data:x:33:\n")
            .Directory("/etc/nginx")
            .Directory("/var/log/nginx")
            .Directory("/var/lib/nginx")
            .Directory("/run")
            .Directory("/tmp");
        foreach (Match library in LibraryPath().Matches(ldd.StandardOutput))
        {
            // Copied as regular files at the path the loader asks for (the host's may be symlinks).
            rootfs.HostFile(library.Groups[1].Value);
        }

        var tag = $"mizan-test-nginx:{TestRun.Id}";
        var imageId = await DockerCli.RunAsync(
            [
                "import",
                "--change", """CMD ["/usr/sbin/nginx", "-g", "daemon off;"]""",
                "--change", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "--change", $"LABEL {TestRun.Label}=nginx {TestRun.RunLabel}={TestRun.Id}",
                "-", tag,
            ],
            cancellationToken,
            rootfs.ToBytes(),
            TimeSpan.FromSeconds(60));
        RunCleanup.TrackImage(imageId);
        return tag;
    }

    [GeneratedRegex(@"(/\S+) \(0x[0-9a-f]+\)")]
    private static partial Regex LibraryPath();
}
