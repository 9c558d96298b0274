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
        const string UnknownId = "d-19700101-000000-000000";

        await AssertRpcFailsAsync(StatusCode.NotFound, () => GetDeploymentAsync(UnknownId));
        await AssertRpcFailsAsync(StatusCode.NotFound, () => WatchAsync(UnknownId));
        var ctl = await Ctl.RunAsync(["watch", UnknownId], Token);
        Assert.True(ctl.ExitCode == 2, $"mizanctl watch of an unknown id must exit 2: {ctl}");
    }
}
