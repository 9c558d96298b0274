using Mizan.Agent.Hosting.Logging;
using Serilog.Events;

namespace Mizan.Agent.Tests.Hosting.Logging;

public class JournalPriorityEnricherTests
{
    [Theory]
    [InlineData(LogEventLevel.Fatal, 2)]
    [InlineData(LogEventLevel.Error, 3)]
    [InlineData(LogEventLevel.Warning, 4)]
    [InlineData(LogEventLevel.Information, 6)]
    [InlineData(LogEventLevel.Debug, 7)]
    public void Priority_Level_MapsToSyslogPriority(LogEventLevel level, int priority)
    {
        Assert.Equal(priority, JournalPriorityEnricher.Priority(level));
    }
}
