using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AppSettingsReachTheContainer(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private readonly TempDirectory settings = new("settings");

    [Fact]
    public async Task EnvironmentEnvFileAndAReadOnlyVolumeAreWhatTheAppSeesAndTheContainerIsLabelled()
    {
        var envFile = this.settings.Combine("app.env");
        await File.WriteAllTextAsync(envFile, "# NOT_A_VARIABLE=1\nSECRET_TOKEN=abc\n", Token);
        var mounted = this.settings.CreateSubdirectory("mounted");
        await File.WriteAllTextAsync(Path.Combine(mounted, "motd.txt"), "mounted from the host", Token);
        await StartAsync(configure: c => c
            .WithEnvironment("GREETING", "hello")
            .WithEnvFile(envFile)
            .WithVolume($"{mounted}:{AppImageRecipe.SettingsMountPoint}:ro"));
        var image = await ImageAsync(AppVariant.Settings);

        var outcome = await DeploySucceedsAsync(AppVariant.Settings);

        var slot = outcome.Result!.ToSlot;
        var served = await ServedAsync(AppImageRecipe.SettingsPath);
        Assert.True(
            served.Status == HttpStatusCode.OK && served.Upstream == $"127.0.0.1:{Config.PortOf(slot)}",
            $"Expected 200 from {slot} (127.0.0.1:{Config.PortOf(slot)}), nginx answered {served}");
        var seen = served.Body.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("GREETING=hello", seen);
        Assert.Contains("SECRET_TOKEN=abc", seen);
        Assert.DoesNotContain(seen, line => line.Contains("NOT_A_VARIABLE", StringComparison.Ordinal));
        Assert.Contains($"PORT={Config.PortOf(slot)}", seen);
        Assert.Contains($"MIZAN_SLOT={slot}", seen);
        Assert.Contains("file motd.txt=mounted from the host", seen);
        Assert.Contains(AppImageRecipe.MountReadOnlyLine, seen);
        Assert.False(File.Exists(Path.Combine(mounted, ".write-probe")), "the app wrote into a volume mounted :ro");

        var container = await ContainerAsync(slot);
        Assert.NotNull(container);
        Assert.Equal(AppName, container.Label("mizan.app"));
        Assert.Equal(slot, container.Label("mizan.slot"));
        Assert.Equal(outcome.DeploymentId, container.Label("mizan.deployment"));
        Assert.Equal(image.Reference, container.Label("mizan.image"));
        Assert.Equal(image.Digest, container.Label("mizan.digest"));
        Assert.Equal(image.DigestReference, container.ImageReference);
    }

    [Fact]
    public async Task AnEnvFileThatIsGoneFailsTheDeployNamingItAndLiveStaysOnV1()
    {
        var envFile = this.settings.Combine("app.env");
        await File.WriteAllTextAsync(envFile, "SECRET_TOKEN=abc\n", Token);
        await StartAsync(configure: c => c.WithEnvFile(envFile));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var upstreamBefore = ReadUpstreamFile();
        await ImageAsync(AppVariant.V2);

        File.Delete(envFile);
        var outcome = await DeployAsync(AppVariant.V2);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Start, outcome.FirstFailedStep);
        Assert.Contains(envFile, outcome.OnlyEvent(Step.Start, StepStatus.Failed).Message, StringComparison.Ordinal);
        Assert.Contains(envFile, outcome.Result!.Message, StringComparison.Ordinal);
        Assert.False(outcome.Events.Any(e => e.Step == Step.Switch), $"no switch may be attempted: {outcome}");

        await AssertServesAsync("v1", v1Slot);
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.True((await ContainerAsync(v1Slot)) is { Running: true }, "v1 must keep running");
        Assert.Null(await ContainerAsync(AgentConfig.OtherSlot(v1Slot)));
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        this.settings.Dispose();
    }
}
