using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class CheckCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var slot = CommonOptions.Slot("Slot to check (default: the standby slot)");
        var command = new Command("check", "Health-check a slot of an app (primitive step); exits 1 when unhealthy");
        command.Options.Add(app);
        command.Options.Add(slot);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new CheckSlotRequest { App = parseResult.GetRequiredValue(app), Slot = parseResult.GetValue(slot) ?? "" };
                var response = await invocation.CallAsync(ct => invocation.Client.CheckSlotAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, PrimitiveTextRenderer.Format(response), cancellationToken);
                return response.Healthy ? ExitCodes.Success : ExitCodes.Failed;
            },
            app);
        return command;
    }
}
