using System.CommandLine;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class StartCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = CommonOptions.App();
        var image = CommonOptions.Image();
        var slot = CommonOptions.Slot("Slot to start the image in (default: the standby slot)");
        var command = new Command("start", "Start an image of an app in a slot (primitive step)");
        command.Options.Add(app);
        command.Options.Add(image);
        command.Options.Add(slot);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new StartSlotRequest
                {
                    App = parseResult.GetRequiredValue(app),
                    Image = parseResult.GetRequiredValue(image),
                    Slot = parseResult.GetValue(slot) ?? "",
                };
                var response = await invocation.CallAsync(ct => invocation.Client.StartSlotAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, PrimitiveTextRenderer.Format(response), cancellationToken);
                return ExitCodes.Success;
            },
            app);
        return command;
    }
}
