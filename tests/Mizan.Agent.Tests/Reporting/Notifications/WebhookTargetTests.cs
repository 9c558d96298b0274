using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class WebhookTargetTests
{
    private const string SlackUrl = "https://user:pa55@hooks.slack.com/services/T0AAA/B0BBB/XyZsecretToken?key=secretQuery";

    [Fact]
    public void From_NoName_IsCalledByPositionAndHostOnly()
    {
        var target = WebhookTarget.From(new WebhookOptions { Url = SlackUrl, Format = WebhookFormat.Slack }, 2);

        Assert.Equal("webhook #2 (hooks.slack.com)", target.Name);
        Assert.Equal("webhook #2 (hooks.slack.com)", target.ToString());
        Assert.Equal(SlackUrl, target.Url.OriginalString);
    }

    [Fact]
    public void From_Name_IsCalledByItsName()
    {
        var target = WebhookTarget.From(new WebhookOptions { Name = "ops-slack", Url = SlackUrl }, 0);

        Assert.Equal("ops-slack", target.Name);
        Assert.Equal("ops-slack", $"{target}");
    }

    [Theory]
    [InlineData("XyZsecretToken")]
    [InlineData("secretQuery")]
    [InlineData("pa55")]
    [InlineData("/services/")]
    public void From_AnyWebhook_NameAndTextNeverShowTheSecretParts(string secret)
    {
        var target = WebhookTarget.From(new WebhookOptions { Url = SlackUrl }, 0);

        Assert.DoesNotContain(secret, target.Name, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_EventsInAnyCase_FilterByThoseKinds()
    {
        var target = WebhookTarget.From(new WebhookOptions { Url = SlackUrl, Events = ["deployfailed"], Apps = ["web"] }, 0);

        Assert.True(target.Filter.Matches(SampleEvents.Of(AgentEventKind.DeployFailed, "web")));
        Assert.False(target.Filter.Matches(SampleEvents.Of(AgentEventKind.DeploySucceeded, "web")));
        Assert.False(target.Filter.Matches(SampleEvents.Of(AgentEventKind.DeployFailed, "api")));
    }
}
