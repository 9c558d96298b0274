using System.Globalization;
using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AFloodOfRefusalsWritesABoundedNumberOfAuditRows(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const int PerMinute = 5;
    private const int Flood = 60;

    [Fact]
    public async Task TheFirstRefusalsOfTheMinuteAreRowsAndTheRestOneCountedRowWrittenAtShutdown()
    {
        await StartAsync(configure: c => c.WithAuditedRefusalsPerMinute(PerMinute));

        for (var attempt = 0; attempt < Flood; attempt++)
        {
            await AssertRpcFailsAsync(
                StatusCode.InvalidArgument,
                () => Client.PullAsync(new PullRequest { App = "No Such App", Image = "v1" }, cancellationToken: Token).ResponseAsync);
        }

        var whileRunning = await AuditRow.ReadAsync(Config.DataDirectory, Token);
        // The rest of the minute is counted, not written, until the minute ends or the agent stops.
        await Agent.StopAsync(Token);
        var afterStop = await AuditRow.ReadAsync(Config.DataDirectory, Token);
        Output.WriteLine(string.Join(Environment.NewLine, afterStop));

        var summaries = afterStop.Where(row => row.Outcome.Contains(" more refused; the last: InvalidArgument", StringComparison.Ordinal)).ToList();
        var oneByOne = afterStop.Except(summaries).ToList();
        Assert.All(oneByOne, row => Assert.StartsWith("InvalidArgument", row.Outcome, StringComparison.Ordinal));
        // Every refusal is accounted for, in far fewer rows than refusals: PerMinute one by one and one summary for
        // each minute the flood spans (normally one: PerMinute + 1 rows).
        Assert.Equal(Flood, oneByOne.Count + summaries.Sum(Counted));
        Assert.True(afterStop.Count <= 2 * (PerMinute + 1), $"{afterStop.Count} rows for {Flood} refusals");
        Assert.True(afterStop.Count > whileRunning.Count, $"the stop writes the open minute's summary; {whileRunning.Count} rows before it");
        Assert.All(afterStop, row => Assert.Equal("Pull", row.Action));
    }

    // "55 more refused; the last: ..." → 55
    private static int Counted(AuditRow summary) =>
        int.Parse(summary.Outcome[..summary.Outcome.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
}
