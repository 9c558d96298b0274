using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class UnknownAppAndMalformedImageChangeNothing(ITestOutputHelper output) : IntegrationTestBase(output)
{
    public static TheoryData<string, string> BadRequests => new()
    {
        { "unknown app", "nosuchapp|v2" },
        { "malformed image", "APP|Not A Valid::Reference@@" },
        { "empty image", "APP|" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task TheAgentAnswersInvalidArgumentAndTouchesNeitherContainersNorNginx(string why, string appAndImage)
    {
        await StartAsync();
        var v1Slot = (await DeploySucceedsAsync(AppVariant.V1)).Result!.ToSlot;
        var (app, image) = Split(appAndImage);
        var containersBefore = await ContainerIdsAsync();
        var upstreamBefore = ReadUpstreamFile();

        var rpc = await AssertRpcFailsAsync(StatusCode.InvalidArgument, () => DeployAsync(image, app));
        Assert.False(string.IsNullOrWhiteSpace(rpc.Status.Detail), why);
        var ctl = await Ctl.RunAsync(["deploy", "--app", app, "--image", image], Token);
        Assert.True(ctl.ExitCode == 2, $"{why}: mizanctl must exit 2: {ctl}");

        Assert.Equal(containersBefore, await ContainerIdsAsync());
        Assert.Equal(upstreamBefore, ReadUpstreamFile());
        await AssertServesAsync("v1", v1Slot);
        var history = await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token);
        Assert.Single(history.Deployments);
    }

    private (string App, string Image) Split(string appAndImage)
    {
        var parts = appAndImage.Split('|', 2);
        return (parts[0] == "APP" ? AppName : parts[0], parts[1]);
    }

    private async Task<List<string>> ContainerIdsAsync() =>
        [.. (await AppContainersAsync()).Select(c => $"{c.Id} {c.Status}").Order(StringComparer.Ordinal)];
}
