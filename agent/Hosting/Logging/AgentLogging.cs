using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Mizan.Agent.Hosting.Logging;

/// <summary>
/// Serilog to a daily rolling file of compact JSON, and to stdout for the journal. Under systemd each console line
/// starts with its syslog priority ("&lt;4&gt;"), which journald reads as the line's priority, so
/// `journalctl -u mizan-agent -p warning` shows only warnings and worse.
/// </summary>
public static class AgentLogging
{
    /// <summary>The console text under systemd; <see cref="JournalLineFormatter"/> puts the priority before each line.</summary>
    public const string JournalTemplate = "{Message:lj}{DeploymentTag}{NewLine}{Exception}";

    public static Logger Create(string logDirectory, bool underJournal)
    {
        const string Plain = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{DeploymentTag}{NewLine}{Exception}";
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<JournalPriorityEnricher>()
            .Enrich.With<DeploymentTagEnricher>()
            ;
        configuration = underJournal
            ? configuration.WriteTo.Console(new JournalLineFormatter(JournalTemplate))
            : configuration.WriteTo.Console(outputTemplate: Plain, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Directory.CreateDirectory(logDirectory);
            configuration = configuration.WriteTo.File(
                new CompactJsonFormatter(),
                Path.Combine(logDirectory, "agent-.json"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"<4>cannot write logs to {logDirectory} ({ex.Message}); logging to the journal only");
        }

        return configuration.CreateLogger();
    }

    /// <summary>systemd sets JOURNAL_STREAM when stdout is connected to the journal.</summary>
    public static bool IsUnderJournal() => Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 };
}

public sealed class JournalPriorityEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Priority", Priority(logEvent.Level)));

    /// <summary>syslog priorities: 2 critical, 3 error, 4 warning, 6 info, 7 debug.</summary>
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };
}

/// <summary>
/// Lines logged inside a deploy or rollback (the DeploymentId scope) whose message does not name the deployment get
/// " [deployment ID]" appended on the console, so `journalctl -u mizan-agent --grep ID` shows the whole deploy.
/// </summary>
public sealed class DeploymentTagEnricher : ILogEventEnricher
{
    public const string PropertyName = "DeploymentId";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        // Only when there is something to say: a property missing from the event renders as nothing in the console
        // template, and the JSON file gets no empty DeploymentTag on every line.
        if (logEvent.Properties.TryGetValue(PropertyName, out var id) && id is ScalarValue { Value: string value }
            && !logEvent.MessageTemplate.Tokens.OfType<Serilog.Parsing.PropertyToken>().Any(token => token.PropertyName == PropertyName))
        {
            logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("DeploymentTag", $" [deployment {value}]"));
        }
    }
}

/// <summary>
/// journald reads a leading "&lt;N&gt;" as the priority of one line only, and a message that spans lines (a validation
/// error listing keys, an exception's stack) arrives as several lines; so every line gets the event's priority, and
/// `journalctl -p err` shows the whole error, not its first line.
/// </summary>
public sealed class JournalLineFormatter(string template) : Serilog.Formatting.ITextFormatter
{
    private readonly Serilog.Formatting.Display.MessageTemplateTextFormatter templateFormatter =
        new(template, System.Globalization.CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var rendered = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        templateFormatter.Format(logEvent, rendered);
        var prefix = $"<{JournalPriorityEnricher.Priority(logEvent.Level)}>";
        foreach (var line in rendered.ToString().Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.Length > 0)
            {
                output.Write(prefix);
                output.Write(text);
                output.Write('\n');
            }
        }
    }
}
