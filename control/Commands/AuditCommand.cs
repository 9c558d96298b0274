using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

public static class AuditCommand
{
    public const int MaxLimit = 1000;

    public static Command Create(CommandRunner runner)
    {
        var app = new Option<string?>("--app") { Description = "Only calls about this app (default: every app)", HelpName = "APP" };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only calls at or after this: a duration back from now (30m, 24h, 7d) or an ISO 8601 time",
            HelpName = "DURATION|ISO8601",
            CustomParser = Since.Parse,
        };
        var limit = new Option<int>("--limit")
        {
            Description = "How many entries to list, newest first",
            HelpName = "N",
            DefaultValueFactory = _ => 50,
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is <= 0 or > MaxLimit)
            {
                result.AddError($"--limit must be between 1 and {MaxLimit}.");
            }
        });

        var command = new Command("audit", "List the audit log: every call that changed something (or tried to), who made it, from where, and the outcome");
        command.Options.Add(app);
        command.Options.Add(since);
        command.Options.Add(limit);

        runner.SetAction(
            command,
            async (parseResult, invocation, cancellationToken) =>
            {
                var request = new ListAuditRequest { App = parseResult.GetValue(app) ?? "", Limit = parseResult.GetValue(limit) };
                if (parseResult.GetValue(since) is { } from)
                {
                    request.Since = Timestamp.FromDateTimeOffset(from);
                }

                var response = await invocation.CallAsync(ct => invocation.Client.ListAuditAsync(request, cancellationToken: ct), cancellationToken);
                await invocation.WriteAsync(response, new AuditTableRenderer(invocation.Renderer).Format(response), cancellationToken);
                return ExitCodes.Success;
            });
        return command;
    }
}
