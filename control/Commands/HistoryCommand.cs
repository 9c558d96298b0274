using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class HistoryCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var limit = new Option<int>("--limit")
        {
            Description = "How many deployments to list, newest first",
            HelpName = "N",
            DefaultValueFactory = _ => 20,
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--limit must be a positive number.");
            }
        });

        var command = new Command("history", "List the deployments of an app");
        command.Options.Add(app);
        command.Options.Add(limit);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new ListDeploymentsRequest { App = parseResult.GetRequiredValue(app), Limit = parseResult.GetValue(limit) };
                var response = await invocation.CallAsync(ct => invocation.Client.ListDeploymentsAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, new HistoryTableRenderer(invocation.Renderer).Format(response), cancellationToken);
                return ExitCodes.Success;
            },
            app);
        return command;
    }
}
