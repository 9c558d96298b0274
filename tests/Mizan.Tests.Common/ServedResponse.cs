using System.Net;

namespace Mizan.Tests.Common;

/// <summary>What nginx answered: status, body (trimmed) and which upstream address served it.</summary>
public sealed record ServedResponse(HttpStatusCode Status, string Body, string Upstream)
{
    public override string ToString() => $"{(int)Status} body='{Body}' X-Mizan-Upstream='{Upstream}'";
}
