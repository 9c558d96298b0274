using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class LeadTimeComesFromTheImageLabelsWhenTheClientSendsNone(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task TheLabelsFillTheCommitAndTheClientsCommitTimeWins()
    {
        await StartAsync();
        var image = await ImageAsync(AppVariant.Labelled);

        // The first deploy carries no commit: the image's OCI labels stand in. The second names its own commit time.
        var fromLabels = await DeployWithAsync(new DeployRequest { App = AppName, Image = image.Tag, RequestedBy = "integration-test" });
        var clientTime = DateTimeOffset.UtcNow.AddMinutes(-30);
        var fromClient = await DeployWithAsync(new DeployRequest
        {
            App = AppName,
            Image = image.Tag,
            RequestedBy = "integration-test",
            CommitSha = "abcdef1",
            CommitTime = Timestamp.FromDateTimeOffset(clientTime),
        });

        Assert.Equal(AppImageRecipe.LabelledRevision, fromLabels.CommitSha);
        Assert.Equal(AppImageRecipe.LabelledCreated, fromLabels.CommitTime.ToDateTimeOffset());
        Assert.Equal("abcdef1", fromClient.CommitSha);
        Assert.Equal(clientTime.ToUnixTimeMilliseconds(), fromClient.CommitTime.ToDateTimeOffset().ToUnixTimeMilliseconds());

        var metrics = await Ctl.RunAsync(["metrics", "--app", AppName, "--window", "1d", "--output", "json"], Token);
        Assert.True(metrics.ExitCode == 0, metrics.ToString());
        var leadTime = JsonDocument.Parse(metrics.StandardOutput).RootElement.GetProperty("metrics").EnumerateArray()
            .Single(m => m.GetProperty("name").GetString() == "change_lead_time");

        // Two samples: end of the first minus the label's created time (about 2 h), end of the second minus 30 min; the median is their mean.
        var expected = ((fromLabels.EndedAt.ToDateTimeOffset() - AppImageRecipe.LabelledCreated)
            + (fromClient.EndedAt.ToDateTimeOffset() - clientTime)).TotalSeconds / 2;
        Assert.Equal(2, leadTime.GetProperty("sampleSize").GetInt32());
        Assert.Equal(expected, leadTime.GetProperty("value").GetDouble(), 0);
        Assert.Equal("PERFORMANCE_LEVEL_NO_DATA", leadTime.GetProperty("level").GetString());
    }

    private async Task<Deployment> DeployWithAsync(DeployRequest request)
    {
        using var call = Client.Deploy(request, deadline: EventStreams.Deadline(), cancellationToken: Token);
        var outcome = await EventStreams.ReadToEndAsync(call, Token);
        Output.WriteLine(outcome.ToString());
        AssertState(outcome, DeploymentState.Succeeded);
        return await GetDeploymentAsync(outcome.DeploymentId);
    }
}
