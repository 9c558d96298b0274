using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Mizan.Control.Commands;

/// <summary>The standard help, followed by the exit codes CI scripts branch on.</summary>
public sealed class HelpWithExitCodesAction(HelpAction standardHelp) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standardHelp.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine(ExitCodes.HelpText);
        return exitCode;
    }
}
