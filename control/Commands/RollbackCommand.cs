using System.CommandLine;
using Mizan.Agent.V1;

namespace Mizan.Control.Commands;

public static class RollbackCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var requestedBy = new Option<string?>("--requested-by")
        {
            Description = "Who asks, recorded with the rollback (same default as deploy)",
            HelpName = "TEXT",
        };

        var command = new Command("rollback", "Point traffic back at the previous image and follow it to the end");
        command.Options.Add(app);
        command.Options.Add(requestedBy);

        runner.SetAction(
            command,
            (parseResult, invocation, cancellationToken) =>
            {
                var request = new RollbackRequest
                {
                    App = parseResult.GetRequiredValue(app),
                    RequestedBy = RequestedBy.Describe(
                        parseResult.GetValue(requestedBy), invocation.Environment, System.Environment.MachineName, System.Environment.UserName),
                };
                // No idempotency key on a rollback: restarted only when the request certainly never reached the agent.
                return DeploymentStreamFollower.FollowAsync(
                    invocation,
                    request.App,
                    ct => invocation.Client.Rollback(request, cancellationToken: ct),
                    cancellationToken,
                    canRestart: RetryPolicy.WasCertainlyNotSent);
            },
            app);
        return command;
    }
}
