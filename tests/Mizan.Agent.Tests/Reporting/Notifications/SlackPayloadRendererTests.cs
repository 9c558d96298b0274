using System.Text.Json.Nodes;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class SlackPayloadRendererTests
{
    [Fact]
    public void Render_DeployEvent_HasTextHeadlineFieldsAndContext()
    {
        var body = WebhookPayloads.Render(WebhookFormat.Slack, SampleEvents.DeploySucceeded(), "srv1");

        AssertJson.Equal(
            """
            {"text":":white_check_mark: Deploy succeeded: web: Deploy of reg/web:v2 to web succeeded",
             "blocks":[
               {"type":"section","text":{"type":"mrkdwn","text":":white_check_mark: *Deploy succeeded: web*\nDeploy of reg/web:v2 to web succeeded"}},
               {"type":"section","fields":[{"type":"mrkdwn","text":"*image*\nreg/web:v2"},{"type":"mrkdwn","text":"*to_slot*\ngreen"}]},
               {"type":"context","elements":[{"type":"mrkdwn","text":"mizan-agent on srv1 · deployment d-1 · 2026-11-27 07:00:00 UTC"}]}]}
            """,
            body);
    }

    [Fact]
    public void Render_EventWithoutDetailsOrDeployment_HasNoFieldsBlock()
    {
        var body = WebhookPayloads.Render(WebhookFormat.Slack, new AgentEvent(AgentEventKind.CheckFailing, SampleEvents.At, "", "Disk / has 4% free"), "srv1");

        AssertJson.Equal(
            """
            {"text":":warning: Check failing: agent: Disk / has 4% free",
             "blocks":[
               {"type":"section","text":{"type":"mrkdwn","text":":warning: *Check failing: agent*\nDisk / has 4% free"}},
               {"type":"context","elements":[{"type":"mrkdwn","text":"mizan-agent on srv1 · 2026-11-27 07:00:00 UTC"}]}]}
            """,
            body);
    }

    [Fact]
    public void Render_SummaryWithSlackMarkup_IsEscapedSoItCannotMentionOrLink()
    {
        var tricky = SampleEvents.Of(AgentEventKind.DeployFailed) with { Summary = "<!channel> see <http://evil|here> & more" };

        var message = JsonNode.Parse(WebhookPayloads.Render(WebhookFormat.Slack, tricky, "srv1"))!;

        Assert.Equal(":x: Deploy failed: web: &lt;!channel&gt; see &lt;http://evil|here&gt; &amp; more", message["text"]!.GetValue<string>());
        Assert.EndsWith(
            "&lt;!channel&gt; see &lt;http://evil|here&gt; &amp; more",
            message["blocks"]![0]!["text"]!["text"]!.GetValue<string>(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ManyDetails_KeepsSlacksLimitOfTenFields()
    {
        var details = Enumerable.Range(0, 15).ToDictionary(i => $"k{i:00}", i => $"v{i}");
        var busy = SampleEvents.Of(AgentEventKind.AutoHealed) with { Details = details };

        var message = JsonNode.Parse(WebhookPayloads.Render(WebhookFormat.Slack, busy, "srv1"))!;

        Assert.Equal(10, message["blocks"]![1]!["fields"]!.AsArray().Count);
    }

    [Fact]
    public void Render_VeryLongSummary_IsCutToSlacksSectionLimit()
    {
        var longEvent = SampleEvents.Of(AgentEventKind.DeployFailed) with { Summary = new string('x', 5000) };

        var message = JsonNode.Parse(WebhookPayloads.Render(WebhookFormat.Slack, longEvent, "srv1"))!;

        var headline = message["blocks"]![0]!["text"]!["text"]!.GetValue<string>();
        Assert.Equal(3000, headline.Length);
        Assert.EndsWith("…", headline, StringComparison.Ordinal);
    }
}
