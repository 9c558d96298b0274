using System.Net;

namespace Mizan.Agent.IntegrationTests.Fixtures;

/// <summary>What nginx answered: status, body (trimmed) and which upstream address served it.</summary>
public sealed record ServedResponse(HttpStatusCode Status, string Body, string Upstream)
{
    public override string ToString() => $"{(int)Status} body='{Body}' X-Mizan-Upstream='{Upstream}'";
}
