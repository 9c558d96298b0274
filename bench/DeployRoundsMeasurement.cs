using Mizan.Agent.V1;

namespace Mizan.Bench;

/// <summary>One deploy round: which tag went live and how the deploy went.</summary>
public sealed record DeployRound(int Number, string Tag, RecordedDeployment Run)
{
    public double Step(Step step) => Run.StepMilliseconds(step);

    public double ClientTotalMs => Run.ClientTotal.TotalMilliseconds;

    /// <summary>What the agent itself costs: the client's total minus pulling the image and waiting for the app to get healthy.</summary>
    public double AgentOverheadMs => ClientTotalMs - Run.StepMillisecondsOrZero(Agent.V1.Step.Pull) - Run.StepMillisecondsOrZero(Agent.V1.Step.Check);

    /// <summary>
    /// The same, also counting the Docker engine's create-and-start of the container as the app's time to become healthy
    /// (the engine's work, not the agent's): what is left is validation, the switch, the verify through nginx and the bookkeeping.
    /// </summary>
    public double AgentOverheadWithoutContainerStartMs => AgentOverheadMs - Run.StepMillisecondsOrZero(Agent.V1.Step.Start);
}

/// <summary>Deploys alternating the two tags, so each round changes the live version and the images are already local.</summary>
public static class DeployRoundsMeasurement
{
    public static async Task<IReadOnlyList<DeployRound>> RunAsync(
        AgentService.AgentServiceClient agent,
        BenchOptions options,
        CancellationToken cancellationToken)
    {
        var rounds = new List<DeployRound>();
        for (var number = 1; number <= options.Rounds; number++)
        {
            var before = await AppSnapshot.ReadAsync(agent, options.App, cancellationToken);
            var tag = before.OtherTag(options.Images);
            var run = await DeployAsync(agent, options.App, tag, cancellationToken);
            var round = new DeployRound(number, tag, run);
            rounds.Add(round);
            Console.WriteLine($"  deploy round {number}: {tag} into slot {before.StandbySlot}, {round.ClientTotalMs:0} ms, {run.Outcome}");
        }

        return rounds;
    }

    public static Task<RecordedDeployment> DeployAsync(AgentService.AgentServiceClient agent, string app, string tag, CancellationToken cancellationToken) =>
        RecordedDeployment.RunAsync(
            () => agent.Deploy(
                new DeployRequest { App = app, Image = tag, RequestedBy = "mizan-bench" },
                deadline: DateTime.UtcNow.AddMinutes(3),
                cancellationToken: cancellationToken),
            cancellationToken);
}
