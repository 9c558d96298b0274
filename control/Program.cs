using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Mizan.Control.Commands;

namespace Mizan.Control;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parseResult = BuildRootCommand(Environment.GetEnvironmentVariable).Parse(args);
        // Off by default in System.CommandLine 2.0: without it Ctrl+C kills mizanctl before it can
        // say how to re-attach to the deployment that keeps running on the agent.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(2) };
        if (parseResult.Action is not ParseErrorAction parseError)
        {
            return await parseResult.InvokeAsync(configuration);
        }

        // The full help would bury the error in CI logs; point at it instead.
        parseError.ShowHelp = false;
        await parseResult.InvokeAsync(configuration);
        await Console.Error.WriteLineAsync($"hint: see `{string.Join(' ', CommandPath(parseResult))} --help`.");
        // System.CommandLine reports parse errors with exit code 1; mizanctl reserves 1 for failed deployments.
        return ExitCodes.Usage;
    }

    public static RootCommand BuildRootCommand(Func<string, string?> environment)
    {
        var globalOptions = new GlobalOptions();
        var runner = new CommandRunner(globalOptions, environment);
        var root = new RootCommand("mizanctl: client of mizan-agent, the blue-green deployment daemon. Talks to the agent over gRPC.");
        foreach (var option in globalOptions.All)
        {
            root.Options.Add(option);
        }

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction standardHelp)
            {
                help.Action = new HelpWithExitCodesAction(standardHelp);
            }
        }

        root.Subcommands.Add(DeployCommand.Create(runner));
        root.Subcommands.Add(RollbackCommand.Create(runner));
        root.Subcommands.Add(WatchCommand.Create(runner));
        root.Subcommands.Add(StatusCommand.Create(runner));
        root.Subcommands.Add(HistoryCommand.Create(runner));
        root.Subcommands.Add(PullCommand.Create(runner));
        root.Subcommands.Add(StartCommand.Create(runner));
        root.Subcommands.Add(CheckCommand.Create(runner));
        root.Subcommands.Add(SwitchCommand.Create(runner));
        root.Subcommands.Add(WeightCommand.Create(runner));
        root.Subcommands.Add(AuditCommand.Create(runner));
        root.Subcommands.Add(MetricsCommand.Create(runner));
        root.Subcommands.Add(HealthCommand.Create(runner));
        root.Subcommands.Add(CertCommand.Create(globalOptions));
        return root;
    }

    private static List<string> CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (CommandResult? result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Parent is null ? "mizanctl" : result.Command.Name);
        }

        return names;
    }
}
