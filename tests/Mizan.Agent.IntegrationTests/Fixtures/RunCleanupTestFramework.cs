using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Mizan.Agent.IntegrationTests.Fixtures.RunCleanupTestFramework", "Mizan.Agent.IntegrationTests")]

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>
/// xunit 2 has no assembly fixture; the test framework is disposed once, after the last test of the run, which
/// is where the run-wide cleanup (shared registry, built images) starts. Process exit waits for it as well.
/// </summary>
public sealed class RunCleanupTestFramework : XunitTestFramework
{
    public RunCleanupTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        DisposalTracker.Add(new RunCleanup.AtEndOfRun());
    }
}
