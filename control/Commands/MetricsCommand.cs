using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class MetricsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var app = new Option<string?>("--app") { Description = "Only this app (default: every app together)", HelpName = "APP" };
        var window = new Option<TimeSpan>("--window")
        {
            Description = "How far back to look: 12h, 30d, 2w (1h to 400d)",
            HelpName = "DURATION",
            DefaultValueFactory = _ => MetricsWindow.Default,
            CustomParser = MetricsWindow.Parse,
        };

        var command = new Command("metrics", "Show the DORA metrics from the deployment history: each figure's value, sample size and performance level");
        command.Options.Add(app);
        command.Options.Add(window);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new GetMetricsRequest { App = parseResult.GetValue(app) ?? "", Window = Duration.FromTimeSpan(parseResult.GetValue(window)) };
                var response = await invocation.CallAsync(ct => invocation.Client.GetMetricsAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, new MetricsTableRenderer(invocation.Renderer).Format(response), cancellationToken);
                return ExitCodes.Success;
            });
        return command;
    }
}
