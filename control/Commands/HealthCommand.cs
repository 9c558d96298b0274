using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class HealthCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = new Option<string?>("--app") { Description = "Only this app's checks, with the agent-wide ones (default: everything)", HelpName = "APP" };
        var command = new Command(
            "health",
            "Show the latest result of every self-check (Docker, nginx, disk, certificate, each app's live and standby slot) with its age, " +
                "and the open incidents; exits 1 when a check fails or an incident is open");
        command.Options.Add(app);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new GetHealthRequest { App = parseResult.GetValue(app) ?? "" };
                var response = await invocation.CallAsync(ct => invocation.Client.GetHealthAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, new HealthTableRenderer(invocation.Renderer).Format(response), cancellationToken);
                return HealthTableRenderer.IsFailing(response) ? ExitCodes.Failed : ExitCodes.Success;
            });
        return command;
    }
}
