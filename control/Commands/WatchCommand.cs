using System.CommandLine;
using Mizan.Agent.V1;

namespace Mizan.Control.Commands;

public static class WatchCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("ID") { Description = "Deployment id, as printed by deploy, rollback or history" };
        var command = new Command("watch", "Re-attach to a deployment: replay its events so far, then follow it to the end");
        command.Arguments.Add(id);

        runner.SetAction(
            command,
            (parseResult, invocation, cancellationToken) =>
            {
                var request = new WatchDeploymentRequest { Id = parseResult.GetRequiredValue(id) };
                return DeploymentStreamFollower.FollowAsync(
                    invocation,
                    "",
                    ct => invocation.Client.WatchDeployment(request, cancellationToken: ct),
                    cancellationToken,
                    canRestart: RetryPolicy.IsRetryable);
            });
        return command;
    }
}
