using Mizan.Agent.Apps.Events;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class WebhookFilterTests
{
    [Fact]
    public void Matches_NoKindsNoApps_TakesEverythingAgentWideEventsToo()
    {
        var filter = new WebhookFilter([], []);

        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.DeployStarted, "web")));
        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.CheckFailing, "")));
    }

    [Fact]
    public void Matches_Kinds_TakesOnlyThoseKinds()
    {
        var filter = new WebhookFilter([AgentEventKind.DeployFailed, AgentEventKind.DeployRolledBack], []);

        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.DeployFailed)));
        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.DeployRolledBack)));
        Assert.False(filter.Matches(SampleEvents.Of(AgentEventKind.DeployStarted)));
        Assert.False(filter.Matches(SampleEvents.Of(AgentEventKind.DeploySucceeded)));
    }

    [Fact]
    public void Matches_Apps_TakesOnlyThoseAppsAndNoAgentWideEvents()
    {
        var filter = new WebhookFilter([], ["web", "api"]);

        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.DeployStarted, "web")));
        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.AutoHealed, "api")));
        Assert.False(filter.Matches(SampleEvents.Of(AgentEventKind.DeployStarted, "shop")));
        Assert.False(filter.Matches(SampleEvents.Of(AgentEventKind.CheckFailing, "")));
    }

    [Fact]
    public void Matches_KindsAndApps_NeedsBoth()
    {
        var filter = new WebhookFilter([AgentEventKind.CheckFailing], ["web"]);

        Assert.True(filter.Matches(SampleEvents.Of(AgentEventKind.CheckFailing, "web")));
        Assert.False(filter.Matches(SampleEvents.Of(AgentEventKind.CheckRecovered, "web")));
        Assert.False(filter.Matches(SampleEvents.Of(AgentEventKind.CheckFailing, "api")));
    }
}
