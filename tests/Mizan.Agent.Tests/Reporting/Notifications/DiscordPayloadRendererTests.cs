using System.Text.Json.Nodes;
using Mizan.Agent.Apps.Events;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class DiscordPayloadRendererTests
{
    [Fact]
    public void Render_DeployEvent_HasContentAndOneGreenEmbedWithoutMentions()
    {
        var body = WebhookPayloads.Render(WebhookFormat.Discord, SampleEvents.DeploySucceeded(), "srv1");

        AssertJson.Equal(
            """
            {"content":"Deploy succeeded: web",
             "embeds":[{"title":"Deploy succeeded: web","description":"Deploy of reg/web:v2 to web succeeded","color":3061373,
               "timestamp":"2026-11-27T07:00:00Z",
               "fields":[{"name":"deployment","value":"d-1","inline":true},{"name":"image","value":"reg/web:v2","inline":true},
                 {"name":"to_slot","value":"green","inline":true}],
               "footer":{"text":"mizan-agent on srv1"}}],
             "allowed_mentions":{"parse":[]}}
            """,
            body);
    }

    [Fact]
    public void Render_EventWithoutDetailsOrDeployment_LeavesFieldsOut()
    {
        var body = WebhookPayloads.Render(WebhookFormat.Discord, SampleEvents.Of(AgentEventKind.IncidentOpened), "srv1");

        AssertJson.Equal(
            """
            {"content":"Incident opened: web",
             "embeds":[{"title":"Incident opened: web","description":"IncidentOpened of web","color":14687834,
               "timestamp":"2026-11-27T07:00:00Z","footer":{"text":"mizan-agent on srv1"}}],
             "allowed_mentions":{"parse":[]}}
            """,
            body);
    }

    [Theory]
    [InlineData(AgentEventKind.DeployStarted, 0x36C5F0)]
    [InlineData(AgentEventKind.RollbackStarted, 0x36C5F0)]
    [InlineData(AgentEventKind.DeploySucceeded, 0x2EB67D)]
    [InlineData(AgentEventKind.RollbackSucceeded, 0x2EB67D)]
    [InlineData(AgentEventKind.CheckRecovered, 0x2EB67D)]
    [InlineData(AgentEventKind.IncidentClosed, 0x2EB67D)]
    [InlineData(AgentEventKind.DeployFailed, 0xE01E5A)]
    [InlineData(AgentEventKind.DeployRolledBack, 0xE01E5A)]
    [InlineData(AgentEventKind.RollbackFailed, 0xE01E5A)]
    [InlineData(AgentEventKind.IncidentOpened, 0xE01E5A)]
    [InlineData(AgentEventKind.DeployInterrupted, 0xECB22E)]
    [InlineData(AgentEventKind.AutoHealed, 0xECB22E)]
    [InlineData(AgentEventKind.CheckFailing, 0xECB22E)]
    public void Render_EachKind_IsColouredByOutcome(AgentEventKind kind, int colour)
    {
        var message = JsonNode.Parse(WebhookPayloads.Render(WebhookFormat.Discord, SampleEvents.Of(kind), "srv1"))!;

        Assert.Equal(colour, message["embeds"]![0]!["color"]!.GetValue<int>());
    }

    [Fact]
    public void Render_LongTextAndManyDetails_StayWithinDiscordsLimits()
    {
        var details = Enumerable.Range(0, 40).ToDictionary(i => $"k{i:00}", _ => new string('v', 2000));
        var busy = SampleEvents.Of(AgentEventKind.DeployFailed) with { Summary = new string('s', 5000), Details = details };

        var embed = JsonNode.Parse(WebhookPayloads.Render(WebhookFormat.Discord, busy, "srv1"))!["embeds"]![0]!;

        Assert.Equal(4096, embed["description"]!.GetValue<string>().Length);
        var fields = embed["fields"]!.AsArray();
        Assert.Equal(25, fields.Count);
        Assert.All(fields, f => Assert.True(f!["value"]!.GetValue<string>().Length <= 1024));
    }
}
