using System.CommandLine;
using Mizan.Control.Connection;
using Mizan.Control.Output;

namespace Mizan.Control.Commands;

/// <summary>Options every verb accepts; recursive, so they may come before or after the verb.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Agent { get; } = new("--agent")
    {
        Description =
            $"Agent address: unix:///path.sock, /path.sock or http://host:port. Default: ${AgentAddress.EnvironmentVariable}, else {AgentAddress.DefaultValue}",
        HelpName = "ADDRESS",
        Recursive = true,
    };

    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "Output format",
        HelpName = "text|json",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    }.AcceptOnlyFromAmong("text", "json");

    public OutputFormat GetOutputFormat(ParseResult parseResult) =>
        parseResult.GetValue(Output) == "json" ? OutputFormat.Json : OutputFormat.Text;
}
