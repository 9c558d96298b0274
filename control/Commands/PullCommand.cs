using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class PullCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var image = CommonOptions.Image();
        var command = new Command("pull", "Pull an image of an app (primitive step)");
        command.Options.Add(app);
        command.Options.Add(image);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new PullRequest { App = parseResult.GetRequiredValue(app), Image = parseResult.GetRequiredValue(image) };
                var response = await invocation.CallAsync(ct => invocation.Client.PullAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, PrimitiveTextRenderer.Format(response), cancellationToken);
                return ExitCodes.Success;
            },
            app);
        return command;
    }
}
