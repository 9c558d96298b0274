using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class ChangingCallsAreRateLimitedPerCaller(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task OverTheAllowanceChangesAreRefusedButReadingStillWorks()
    {
        await StartAsync(configure: c => c.WithMutationsPerMinute(3));
        await ImageAsync(AppVariant.V1);

        for (var pull = 0; pull < 3; pull++)
        {
            await Client.PullAsync(new PullRequest { App = AppName, Image = "v1" }, cancellationToken: Token);
        }

        var error = await AssertRpcFailsAsync(
            StatusCode.ResourceExhausted,
            () => Client.PullAsync(new PullRequest { App = AppName, Image = "v1" }, cancellationToken: Token).ResponseAsync);
        Assert.Contains("MutationsPerMinute", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(AppName, (await StatusAsync()).App);
        var audited = (await Client.ListAuditAsync(new ListAuditRequest { App = AppName }, cancellationToken: Token)).Entries;
        Assert.StartsWith("ResourceExhausted", audited[0].Outcome, StringComparison.Ordinal);
    }
}
