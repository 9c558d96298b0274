using System.Net;
using System.Net.Http.Headers;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests;

/// <summary>
/// Proves the test environment on its own, without the agent: images build and push, the registry serves
/// them, the app images run, host nginx and containerised nginx test, reload and proxy.
/// </summary>
public sealed class FixtureSmokeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly CancellationTokenSource deadline = new(TimeSpan.FromMinutes(2));
    private readonly string label = $"mizan.test.smoke={TestRun.NewShortId()}";

    private CancellationToken Token => deadline.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheRegistryServesThePushedImageByTagWithThePushedDigest()
    {
        var registry = await SharedTestRegistry.GetAsync(Token);
        var v1 = await TestImages.PushAsync(AppVariant.V1, registry, Token);
        var v2 = await TestImages.PushAsync(AppVariant.V2, registry, Token);

        Assert.NotEqual(v1.Digest, v2.Digest);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry.Host}/v2/{TestImages.Repository}/manifests/v1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var response = await http.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(v1.Digest, Assert.Single(response.Headers.GetValues("Docker-Content-Digest")));
    }

    [Fact]
    public async Task AHealthyImageServesItsVersionAndHealthOnThePortItIsGiven()
    {
        var port = FreePorts.Next();
        await RunAppAsync(AppVariant.V1, port);
        using var app = new NginxClient(new Uri($"http://127.0.0.1:{port}/"));

        await Eventually.TrueAsync(app.AnswersAsync, TimeSpan.FromSeconds(10), () => $"the v1 app on {port}", Token);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/health", Token)).Status);
        Assert.Equal("v1", (await app.GetAsync("/", Token)).Body);
    }

    [Fact]
    public async Task AServingImageStopsAtOnceOnSigterm()
    {
        var port = FreePorts.Next();
        var id = await RunAppAsync(AppVariant.Slow, port);
        await Eventually.TrueAsync(
            async t => (await DockerCli.InspectContainerAsync(id, t))?.Running == true,
            TimeSpan.FromSeconds(10),
            () => "the slow app to run",
            Token);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await DockerCli.RunAsync(["stop", "--time", "8", id], Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"docker stop took {clock.Elapsed}: the app ignored SIGTERM");
        Assert.Equal(0, (await DockerCli.InspectContainerAsync(id, Token))!.ExitCode);
    }

    [Fact]
    public async Task TheUnhealthyAndVerifyFailsImagesMissTheRightFile()
    {
        var unhealthyPort = FreePorts.Next();
        var verifyFailsPort = FreePorts.Next();
        await RunAppAsync(AppVariant.Unhealthy, unhealthyPort);
        await RunAppAsync(AppVariant.VerifyFails, verifyFailsPort);
        using var unhealthy = new NginxClient(new Uri($"http://127.0.0.1:{unhealthyPort}/"));
        using var verifyFails = new NginxClient(new Uri($"http://127.0.0.1:{verifyFailsPort}/"));
        await Eventually.TrueAsync(
            async t => await unhealthy.AnswersAsync(t) && await verifyFails.AnswersAsync(t),
            TimeSpan.FromSeconds(10),
            () => "both apps",
            Token);

        Assert.Equal(HttpStatusCode.NotFound, (await unhealthy.GetAsync("/health", Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await unhealthy.GetAsync("/", Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await verifyFails.GetAsync("/health", Token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await verifyFails.GetAsync("/", Token)).Status);
    }

    [Fact]
    public async Task TheCrashImageExitsWithThreeAndSaysWhyOnStderr()
    {
        var id = await RunAppAsync(AppVariant.Crash, FreePorts.Next());

        var exited = await Eventually.ValueAsync(
            t => DockerCli.InspectContainerAsync(id, t),
            c => c is { Running: false, Status: "exited" },
            TimeSpan.FromSeconds(10),
            c => $"the crash container to exit (now {c?.Status})",
            Token);
        Assert.Equal(3, exited!.ExitCode);
        var logs = await DockerCli.TryAsync(["logs", id], Token);
        Assert.Contains(AppImageRecipe.CrashLine, logs.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostNginxServesThePlaceholderThenTheAppAfterAReloadAndRejectsABrokenConfig()
    {
        var port = FreePorts.Next();
        await RunAppAsync(AppVariant.V2, port);
        await using var nginx = await TestNginx.StartAsync("smoke", "smoke_backend", Token);

        Assert.Equal(HttpStatusCode.BadGateway, (await nginx.GetAsync("/", Token)).Status);

        await File.WriteAllTextAsync(nginx.Config.UpstreamFile, $"upstream smoke_backend {{ server 127.0.0.1:{port}; }}\n", Token);
        (await nginx.TestConfigAsync(Token)).EnsureSuccess();
        (await ProcessRunner.RunAsync(TestNginx.Binary, ["-c", nginx.Config.ConfigFile, "-s", "reload"], Token)).EnsureSuccess();
        var served = await Eventually.ValueAsync(
            t => nginx.GetAsync("/", t),
            r => r.Body == "v2",
            TimeSpan.FromSeconds(10),
            r => $"nginx to serve v2 (last: {r})",
            Token);
        Assert.Equal($"127.0.0.1:{port}", served.Upstream);

        nginx.BreakConfig();
        var broken = await nginx.TestConfigAsync(Token);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("unknown directive", broken.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NginxInAContainerTestsReloadsOnHupAndServesTheApp()
    {
        var port = FreePorts.Next();
        await RunAppAsync(AppVariant.V1, port);
        await using var nginx = await NginxContainer.StartAsync("smokec", "smokec_backend", Token);

        var byLabel = await DockerCli.ContainerIdsWithLabelAsync(nginx.FindLabel, Token);
        Assert.Equal(nginx.Id, Assert.Single(byLabel));
        (await nginx.TestConfigAsync(Token)).EnsureSuccess();
        Assert.Equal(HttpStatusCode.BadGateway, (await nginx.GetAsync("/", Token)).Status);

        await File.WriteAllTextAsync(nginx.Config.UpstreamFile, $"upstream smokec_backend {{ server 127.0.0.1:{port}; }}\n", Token);
        (await nginx.TestConfigAsync(Token)).EnsureSuccess();
        await nginx.ReloadAsync(Token);
        await Eventually.ValueAsync(
            t => nginx.GetAsync("/", t),
            r => r.Body == "v1",
            TimeSpan.FromSeconds(10),
            r => $"nginx container to serve v1 (last: {r})",
            Token);

        nginx.Config.BreakConfig();
        Assert.NotEqual(0, (await nginx.TestConfigAsync(Token)).ExitCode);
    }

    [Fact]
    public async Task TheLoadGeneratorCountsSuccessesAndVersionsThroughNginx()
    {
        var port = FreePorts.Next();
        await RunAppAsync(AppVariant.V1, port);
        await using var nginx = await TestNginx.StartAsync("smokel", "smokel_backend", Token);
        await File.WriteAllTextAsync(nginx.Config.UpstreamFile, $"upstream smokel_backend {{ server 127.0.0.1:{port}; }}\n", Token);
        (await ProcessRunner.RunAsync(TestNginx.Binary, ["-c", nginx.Config.ConfigFile, "-s", "reload"], Token)).EnsureSuccess();
        // nginx's old workers answer for a moment after a reload: wait until v1 answers many times in a row.
        await Eventually.TrueAsync(
            async t =>
            {
                for (var i = 0; i < 20; i++)
                {
                    if ((await nginx.GetAsync("/", t)).Body != "v1")
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(10),
            () => "v1 from nginx 20 times in a row",
            Token);

        await using var load = LoadGenerator.Start(nginx.Config.BaseAddress, new LoadOptions(Workers: 4, MaxRequests: 200), Token);
        await load.WaitForSuccessesAsync(200, Token);
        var report = await load.StopAsync();
        output.WriteLine(report.ToString());

        Assert.Equal(0, report.Failed);
        Assert.Equal(200, report.Succeeded);
        Assert.Equal(200, report.ByBody["v1"]);
        Assert.Equal(200, report.ByUpstream[$"127.0.0.1:{port}"]);
    }

    [Fact]
    public async Task TheFastImageKeepsConnectionsAliveForGetsAndPostsAndFailsOncePerTrigger()
    {
        var port = FreePorts.Next();
        using var triggers = new TempDirectory("triggers");
        await RunAppAsync(AppVariant.FastV1, port, "--volume", $"{triggers.Path}:{FastAppBinary.TriggerDirectory}");
        var app = new Uri($"http://127.0.0.1:{port}/");
        await Eventually.TrueAsync(
            async t =>
            {
                try
                {
                    await using var probe = await RawHttpConnection.ConnectAsync(app, t);
                    return (await probe.SendAsync("GET", "/health", null, close: true, t)).Status == 200;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            () => $"the fast app on {port}",
            Token);

        // One connection for everything: keep-alive across GET, POST and the one failure.
        await using var connection = await RawHttpConnection.ConnectAsync(app, Token);
        var answers = new List<RawHttpResponse>
        {
            await connection.SendAsync("GET", "/", null, close: false, Token),
            await connection.SendAsync("POST", "/orders", new byte[100_000], close: false, Token),
            await connection.SendAsync("GET", "/health", null, close: false, Token),
        };
        await File.WriteAllTextAsync(Path.Combine(triggers.Path, FastAppBinary.FailNextTrigger(port)), "", Token);
        answers.Add(await connection.SendAsync("GET", "/health", null, close: false, Token));
        answers.Add(await connection.SendAsync("GET", "/", null, close: false, Token));
        answers.Add(await connection.SendAsync("POST", "/", new byte[10], close: false, Token));
        output.WriteLine(string.Join(Environment.NewLine, answers));

        Assert.Equal([200, 200, 200, 200, 500, 200], answers.Select(a => a.Status));
        Assert.Equal(["fast-v1", "fast-v1", "ok", "ok", "fast-v1 failed once", "fast-v1"], answers.Select(a => a.Body));
        Assert.True(connection.Reusable, "the app keeps the connection open");
        Assert.False(File.Exists(Path.Combine(triggers.Path, FastAppBinary.FailNextTrigger(port))), "the failure took the trigger away");

        await using var load = RawLoadGenerator.Start(app, new RawLoadOptions(Connections: 8, MaxRequests: 5_000), Token);
        await load.WaitForSuccessesAsync(5_000, Token);
        var report = await load.StopAsync();
        output.WriteLine(report.ToString());
        Assert.Equal(0, report.Failed);
        Assert.Equal(8, report.Connections);
        // Every second request of a connection is a POST; a connection's last request may be either.
        Assert.InRange(report.ByMethod["POST"], 2_500 - 8, 2_500);
        Assert.Equal(5_000, report.ByMethod["GET"] + report.ByMethod["POST"]);
    }

    public async Task DisposeAsync()
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await DockerCli.RemoveContainersWithLabelAsync(this.label, cleanup.Token);
        deadline.Dispose();
    }

    /// <summary>Runs a variant directly (no agent) with host networking and PORT, labelled for this test's cleanup.</summary>
    private async Task<string> RunAppAsync(AppVariant variant, int port, params string[] options)
    {
        var image = await TestImages.BuildAsync(variant, Token);
        return await DockerCli.RunAsync(
            ["run", "--detach", "--network", "host", "--env", $"PORT={port}", "--label", this.label, "--label", $"{TestRun.RunLabel}={TestRun.Id}",
                .. options, image],
            Token);
    }
}
