using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class SwitchCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var slot = CommonOptions.Slot("Slot to send live traffic to", required: true);
        var command = new Command("switch", "Send an app's live traffic to a slot (primitive step)");
        command.Options.Add(app);
        command.Options.Add(slot);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new SwitchRequest { App = parseResult.GetRequiredValue(app), Slot = parseResult.GetRequiredValue(slot) };
                var response = await invocation.CallAsync(ct => invocation.Client.SwitchAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, PrimitiveTextRenderer.Format(response), cancellationToken);
                return ExitCodes.Success;
            },
            app);
        return command;
    }
}
