using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class MetricsRefuseAWindowOutsideItsBounds(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task WindowsUnderAnHourOrOver400DaysAndUnknownAppsAreInvalidArguments()
    {
        await StartAsync();
        var windows = new[]
        {
            new Duration { Seconds = 0, Nanos = 1 },
            Duration.FromTimeSpan(TimeSpan.FromMinutes(59)),
            Duration.FromTimeSpan(TimeSpan.FromDays(401)),
            new Duration { Seconds = 315_576_000_000 },
            new Duration { Seconds = -3600 },
        };

        foreach (var window in windows)
        {
            var error = await AssertRpcFailsAsync(
                StatusCode.InvalidArgument,
                () => Client.GetMetricsAsync(new GetMetricsRequest { App = AppName, Window = window }, cancellationToken: Token).ResponseAsync);
            Assert.Contains("GetMetricsRequest.window must be between 1 hour and 400 days", error.Status.Detail, StringComparison.Ordinal);
        }

        var unknown = await AssertRpcFailsAsync(
            StatusCode.InvalidArgument,
            () => Client.GetMetricsAsync(new GetMetricsRequest { App = "not-declared" }, cancellationToken: Token).ResponseAsync);
        Assert.Contains("unknown app 'not-declared'", unknown.Status.Detail, StringComparison.Ordinal);

        // The bounds themselves are accepted, and an unset window is 30 days.
        var hour = await Client.GetMetricsAsync(
            new GetMetricsRequest { App = AppName, Window = Duration.FromTimeSpan(TimeSpan.FromHours(1)) },
            cancellationToken: Token);
        Assert.Equal(TimeSpan.FromHours(1), hour.To.ToDateTimeOffset() - hour.From.ToDateTimeOffset());
        var unset = await Client.GetMetricsAsync(new GetMetricsRequest(), cancellationToken: Token);
        Assert.Equal(TimeSpan.FromDays(30), unset.To.ToDateTimeOffset() - unset.From.ToDateTimeOffset());
        Assert.Equal(5, unset.Metrics.Count);
    }
}
