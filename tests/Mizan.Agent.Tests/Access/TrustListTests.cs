using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Tests.Access;

public class TrustListTests
{
    private static readonly string OldThumbprint = new('a', 64);
    private static readonly string NewThumbprint = new('b', 64);

    private static TrustedClientOptions Client(string name, Role role, string[] thumbprints, params string[] apps) =>
        new() { Name = name, Role = role, Thumbprints = [.. thumbprints], Apps = [.. apps] };

    [Fact]
    public void Find_ThumbprintInOtherCase_FindsTheClient()
    {
        var trust = new TrustList([Client("ci-github", Role.Deployer, [OldThumbprint], "web")]);

        var client = trust.Find(OldThumbprint.ToUpperInvariant());

        Assert.NotNull(client);
        Assert.Equal("ci-github", client.Name);
        Assert.Equal(Role.Deployer, client.Role);
        Assert.Contains("web", client.Apps);
    }

    [Fact]
    public void Find_UnknownThumbprint_ReturnsNull()
    {
        var trust = new TrustList([Client("ci", Role.Viewer, [OldThumbprint])]);

        Assert.Null(trust.Find(NewThumbprint));
    }

    [Fact]
    public void Find_EitherOfTwoThumbprints_FindsTheSameClient()
    {
        var trust = new TrustList([Client("ci", Role.Viewer, [OldThumbprint, NewThumbprint])]);

        Assert.Equal("ci", trust.Find(OldThumbprint)?.Name);
        Assert.Equal("ci", trust.Find(NewThumbprint)?.Name);
    }

    [Fact]
    public void Replace_OldThumbprintRemoved_RefusesItAndReportsPrefixesOnly()
    {
        var trust = new TrustList([Client("ci", Role.Viewer, [OldThumbprint, NewThumbprint])]);

        var change = trust.Replace([Client("ci", Role.Viewer, [NewThumbprint]), Client("ops", Role.Admin, [new string('c', 64)])]);

        Assert.Null(trust.Find(OldThumbprint));
        Assert.Equal("ci", trust.Find(NewThumbprint)?.Name);
        Assert.Equal(["ops"], change.AddedClients);
        Assert.Empty(change.RemovedClients);
        Assert.Single(change.RemovedThumbprints);
        Assert.DoesNotContain(OldThumbprint, change.ToString(), StringComparison.Ordinal);
        Assert.Contains("aaaaaaaaaaaa", change.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_SameList_IsEmpty()
    {
        var trust = new TrustList([Client("ci", Role.Viewer, [OldThumbprint])]);

        Assert.True(trust.Replace([Client("ci", Role.Viewer, [OldThumbprint.ToUpperInvariant()])]).IsEmpty);
    }

    [Fact]
    public void Replace_RoleChanged_ReportsTheClientAsChanged()
    {
        var trust = new TrustList([Client("ci", Role.Viewer, [OldThumbprint])]);

        var change = trust.Replace([Client("ci", Role.Deployer, [OldThumbprint], "web")]);

        Assert.Equal(["ci"], change.ChangedClients);
        Assert.Equal(Role.Deployer, trust.Find(OldThumbprint)?.Role);
    }
}
