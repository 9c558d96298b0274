using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class UnknownDeploymentIdIsNotFound(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task GetAndWatchAnswerNotFoundAndMizanctlExits2()
    {
        await StartAsync();
        const string unknown = "d-19700101-000000-000000";

        await AssertRpcFailsAsync(StatusCode.NotFound, () => GetDeploymentAsync(unknown));
        await AssertRpcFailsAsync(StatusCode.NotFound, () => WatchAsync(unknown));
        var ctl = await Ctl.RunAsync(["watch", unknown], Token);
        Assert.True(ctl.ExitCode == 2, $"mizanctl watch of an unknown id must exit 2: {ctl}");
    }
}
