using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;

namespace Mizan.Control.Commands;

public static class DeployCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var image = CommonOptions.Image();
        var commit = new Option<string?>("--commit") { Description = "Commit SHA the image was built from", HelpName = "SHA" };
        var commitTime = new Option<DateTimeOffset?>("--commit-time")
        {
            Description = "Commit time, ISO 8601 with offset (git log -1 --format=%cI)",
            HelpName = "ISO8601",
            CustomParser = CommitTime.Parse,
        };
        var requestedBy = new Option<string?>("--requested-by")
        {
            Description = "Who asks, recorded with the deployment. Default: github:REPO#RUN_ID by ACTOR under GitHub Actions, else $USER@hostname",
            HelpName = "TEXT",
        };

        var idempotencyKey = new Option<string?>("--idempotency-key")
        {
            Description =
                "Sent with every retry of this deploy; the agent returns the deployment a key already started instead of starting another. " +
                "Default: github-RUN_ID-RUN_ATTEMPT-JOB under GitHub Actions, else a new GUID per invocation",
            HelpName = "KEY",
        };

        var command = new Command("deploy", "Blue-green deploy an image of an app and follow it to the end");
        command.Options.Add(app);
        command.Options.Add(image);
        command.Options.Add(commit);
        command.Options.Add(commitTime);
        command.Options.Add(requestedBy);
        command.Options.Add(idempotencyKey);

        runner.SetAction(
            command,
            (parseResult, invocation, cancellationToken) =>
            {
                var request = new DeployRequest
                {
                    App = parseResult.GetRequiredValue(app),
                    Image = parseResult.GetRequiredValue(image),
                    CommitSha = parseResult.GetValue(commit) ?? "",
                    RequestedBy = RequestedBy.Describe(
                        parseResult.GetValue(requestedBy), invocation.Environment, System.Environment.MachineName, System.Environment.UserName),
                    // One key for this invocation, reused by every retry below.
                    IdempotencyKey = IdempotencyKey.Resolve(parseResult.GetValue(idempotencyKey), invocation.Environment, Guid.NewGuid),
                };
                if (parseResult.GetValue(commitTime) is { } time)
                {
                    request.CommitTime = Timestamp.FromDateTimeOffset(time);
                }

                return DeploymentStreamFollower.FollowAsync(
                    invocation,
                    request.App,
                    ct => invocation.Client.Deploy(request, cancellationToken: ct),
                    cancellationToken,
                    canRestart: RetryPolicy.IsRetryable);
            },
            app);
        return command;
    }
}
