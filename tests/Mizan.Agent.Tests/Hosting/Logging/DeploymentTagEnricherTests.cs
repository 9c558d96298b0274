using Mizan.Agent.Hosting.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Mizan.Agent.Tests.Hosting.Logging;

public class DeploymentTagEnricherTests
{
    [Fact]
    public void ALineInsideADeployThatDoesNotNameItGetsTheIdAppended()
    {
        var logEvent = Event("Switched {App} to slot {Slot}", ("DeploymentId", "d-20261127-101010-abcdef"));

        new DeploymentTagEnricher().Enrich(logEvent, new PropertyFactory());

        Assert.Equal(" [deployment d-20261127-101010-abcdef]", Tag(logEvent));
    }

    [Fact]
    public void ALineThatNamesTheDeploymentOrIsOutsideOneGetsNothing()
    {
        var naming = Event("Deploy {DeploymentId} of {App}", ("DeploymentId", "d-1"));
        var outside = Event("mizan-agent listening");

        new DeploymentTagEnricher().Enrich(naming, new PropertyFactory());
        new DeploymentTagEnricher().Enrich(outside, new PropertyFactory());

        Assert.False(naming.Properties.ContainsKey("DeploymentTag"));
        Assert.False(outside.Properties.ContainsKey("DeploymentTag"));
    }

    [Fact]
    public void TheJournalLineCarriesThePriorityAndTheTagOnlyWhenThereIsOne()
    {
        var inside = Event("Switched {App} to slot {Slot}", ("App", "web"), ("Slot", "green"), ("DeploymentId", "d-1"));
        var outside = Event("listening on {Socket}", ("Socket", "/run/x.sock"));

        Assert.Equal("<6>Switched web to slot green [deployment d-1]\n", Render(inside));
        Assert.Equal("<6>listening on /run/x.sock\n", Render(outside));
    }

    [Fact]
    public void EveryLineOfAMultiLineErrorCarriesItsPriority()
    {
        var error = new LogEvent(
            DateTimeOffset.UnixEpoch,
            LogEventLevel.Error,
            exception: null,
            new MessageTemplateParser().Parse("Configuration not reloaded: {Reason}"),
            [new LogEventProperty("Reason", new ScalarValue("the file is invalid:\n  'NoSuchKey' is not a key"))]);

        Assert.Equal("<3>Configuration not reloaded: the file is invalid:\n<3>  'NoSuchKey' is not a key\n", Render(error));
    }

    private static string Render(LogEvent logEvent)
    {
        new JournalPriorityEnricher().Enrich(logEvent, new PropertyFactory());
        new DeploymentTagEnricher().Enrich(logEvent, new PropertyFactory());
        using var writer = new StringWriter();
        new JournalLineFormatter(AgentLogging.JournalTemplate).Format(logEvent, writer);
        return writer.ToString();
    }

    private static LogEvent Event(string template, params (string Name, string Value)[] properties) =>
        new(
            DateTimeOffset.UnixEpoch,
            LogEventLevel.Information,
            exception: null,
            new MessageTemplateParser().Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));

    private static string Tag(LogEvent logEvent) => (string)((ScalarValue)logEvent.Properties["DeploymentTag"]).Value!;

    private sealed class PropertyFactory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) => new(name, new ScalarValue(value));
    }
}
