using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class WeightCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var slot = CommonOptions.Slot("Slot to give the share of traffic to", required: true);
        var percent = new Option<int>("--percent")
        {
            Description = "Share of the app's requests for the slot, 0-100, in the steps its front ports allow (10 % with 10); the other slot gets the rest",
            HelpName = "0-100",
            Required = true,
        };
        var command = new Command("weight", "Split an app's traffic between its slots (Traffic:Mode Redirect; primitive step)");
        command.Options.Add(app);
        command.Options.Add(slot);
        command.Options.Add(percent);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new SetWeightRequest
                {
                    App = parseResult.GetRequiredValue(app),
                    Slot = parseResult.GetRequiredValue(slot),
                    Percent = parseResult.GetValue(percent),
                };
                var response = await invocation.CallAsync(ct => invocation.Client.SetWeightAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, PrimitiveTextRenderer.Format(response), cancellationToken);
                return ExitCodes.Success;
            },
            app);
        return command;
    }
}
