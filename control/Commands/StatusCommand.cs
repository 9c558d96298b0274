using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class StatusCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = new Option<string?>("--app") { Description = "Only this app (default: every app)", HelpName = "APP" };
        var command = new Command("status", "Show what is live, what is on standby, and the last deployment of each app");
        command.Options.Add(app);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new GetStatusRequest { App = parseResult.GetValue(app) ?? "" };
                var response = await invocation.CallAsync(ct => invocation.Client.GetStatusAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, new StatusTableRenderer(invocation.Renderer).Format(response), cancellationToken);
                return ExitCodes.Success;
            });
        return command;
    }
}
