using System.Net;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class PrivateRegistryNeedsCredentials(ITestOutputHelper output) : IntegrationTestBase(output)
{
    /// <summary>What the engine says when a registry refuses a pull without a valid login.</summary>
    private const string AuthenticationRefused = "(?i)unauthorized|authentication required|no basic auth credentials";

    private readonly RegistryLogin login = RegistryLogin.NewRandom();

    [Fact]
    public async Task WithoutCredentialsThePullIsRefusedAndNothingStarts()
    {
        await StartAsync(registryLogin: this.login);
        var upstreamBefore = ReadUpstreamFile();

        var outcome = await DeployAsync(AppVariant.V1);

        AssertState(outcome, DeploymentState.Failed);
        Assert.Equal(Step.Pull, outcome.FirstFailedStep);
        Assert.False(outcome.Events.Any(e => e.Step == Step.Start), $"nothing may start without the image: {outcome}");
        Assert.Matches(AuthenticationRefused, outcome.OnlyEvent(Step.Pull, StepStatus.Failed).Message);
        Assert.Contains(Registry.Host, outcome.Result!.Message, StringComparison.Ordinal);

        Assert.Empty(await AppContainersAsync());
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        Assert.Equal("", (await StatusAsync()).LiveSlot);
        Assert.Equal(HttpStatusCode.BadGateway, (await ServedAsync()).Status);
    }

    [Fact]
    public async Task CredentialsInTheAgentConfigurationLetThePullThrough()
    {
        await StartAsync(registryLogin: this.login, configure: c => c.WithRegistryCredentials(Registry.Host, this.login));
        var v1 = await ImageAsync(AppVariant.V1);

        var outcome = await DeploySucceedsAsync(AppVariant.V1);

        Assert.Equal(v1.Digest, outcome.Result!.Digest);
        await AssertServesAsync("v1", outcome.Result.ToSlot);
    }

    [Fact]
    public async Task AuthsInTheDockerConfigJsonLetThePullThrough()
    {
        // The config.json `docker login` wrote for the test's own push: "auths" with the registry's host:port.
        await StartAsync(registryLogin: this.login, configure: c => c.WithDockerConfigPath(Registry.Client!.ConfigFile));
        var v1 = await ImageAsync(AppVariant.V1);

        var outcome = await DeploySucceedsAsync(AppVariant.V1);

        Assert.Equal(v1.Digest, outcome.Result!.Digest);
        await AssertServesAsync("v1", outcome.Result.ToSlot);
    }
}
