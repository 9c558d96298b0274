using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

/// <summary>
/// Every front port in nginx's upstream has max_fails=0: an error the live slot answers reaches its client, and the
/// next requests still go to the live slot, never to the standby nor to a front port taken out of rotation.
/// </summary>
public sealed class OneErrorFromTheLiveSlotDoesNotMoveTraffic(ITestOutputHelper output) : IntegrationTestBase(output)
{
    private const int Rounds = 5;

    /// <summary>Requests per round after the trigger: the first takes it, the rest see what nginx does next.</summary>
    private const int RequestsPerRound = 60;

    private readonly TempDirectory triggers = new("triggers");

    [Fact]
    public async Task AfterAnAnswerOf500TheNextRequestsAreAnsweredByTheLiveV1()
    {
        // The self-checks go through nginx too: once an hour, so they never take a trigger meant for the test's requests.
        await StartAsync(configure: c => c
            .WithRedirect()
            .WithVolume($"{triggers.Path}:{FastAppBinary.TriggerDirectory}")
            .WithChecksEvery(TimeSpan.FromHours(1)));
        var v1Slot = (await DeploySucceedsAsync(AppVariant.FastV1)).Result!.ToSlot;
        var v2Slot = (await DeploySucceedsAsync(AppVariant.FastV2)).Result!.ToSlot;
        var rollback = await RollbackAsync();
        AssertState(rollback, DeploymentState.Succeeded);
        Assert.Equal(v1Slot, rollback.Result!.ToSlot);
        Assert.True((await ContainerAsync(v2Slot)) is { Running: true }, "v2 stands by, running");
        var redirects = await AssertAllTrafficToAsync(v1Slot);

        var trigger = Path.Combine(triggers.Path, FastAppBinary.FailNextTrigger(Config.PortOf(v1Slot)));
        var byAnswer = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = await RawHttpConnection.ConnectAsync(Nginx.BaseAddress, Token);
        for (var round = 0; round < Rounds; round++)
        {
            await File.WriteAllTextAsync(trigger, "", Token);
            var answers = new List<RawHttpResponse>();
            for (var i = 0; i < RequestsPerRound; i++)
            {
                var post = i % 2 == 1;
                answers.Add(await connection.SendAsync(post ? "POST" : "GET", "/", post ? new byte[256] : null, close: false, Token));
                Assert.True(connection.Reusable, $"nginx keeps the client's connection open: {answers[^1]}");
            }

            foreach (var answer in answers)
            {
                var key = $"{answer.Status} {answer.Body} from {Config.SlotBehind(answer.Upstream, redirects) ?? answer.Upstream}";
                byAnswer[key] = byAnswer.GetValueOrDefault(key) + 1;
            }

            Assert.False(File.Exists(trigger), "the app took the trigger");
            var failure = answers[0];
            Assert.True(
                failure.Status == 500 && failure.Body == "fast-v1 failed once" && Config.SlotBehind(failure.Upstream, redirects) == v1Slot,
                $"round {round + 1}: the first request after the trigger gets v1's one 500, through one front port; got {failure}");
            Assert.DoesNotContain(",", failure.Upstream, StringComparison.Ordinal);
            var next = answers.Skip(1).ToList();
            Assert.All(next, answer => Assert.True(
                answer.Status == 200 && answer.Body == "fast-v1" && Config.PrimaryFrontPorts.Any(port => answer.Upstream == $"127.0.0.1:{port}"),
                $"round {round + 1}: after the 500 the live v1 answers, through a primary front port; got {answer}"));
            // Round-robin goes on over every primary, the one that carried the 500 included.
            Assert.Equal(Config.FrontPortCount, next.Select(answer => answer.Upstream).Distinct().Count());
        }

        var counted = byAnswer.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} = {a.Value}");
        Output.WriteLine($"answers through nginx over {Rounds} rounds: {string.Join(", ", counted)}");
        Assert.Equal(Rounds, byAnswer.GetValueOrDefault($"500 fast-v1 failed once from {v1Slot}"));
        Assert.Equal(Rounds * (RequestsPerRound - 1), byAnswer.GetValueOrDefault($"200 fast-v1 from {v1Slot}"));
        Assert.DoesNotContain(byAnswer.Keys, key => key.Contains("fast-v2", StringComparison.Ordinal));
        Assert.Equal(v1Slot, (await StatusAsync()).LiveSlot);
        Assert.Equal(redirects, await RedirectsAsync());
        Assert.Empty(await IncidentsAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        triggers.Dispose();
    }
}
