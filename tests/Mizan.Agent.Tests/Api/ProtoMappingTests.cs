using Mizan.Agent.Api;
using Mizan.Agent.Deployments.History;

namespace Mizan.Agent.Tests.Api;

public class ProtoMappingTests
{
    private static readonly DeploymentRecord Deployed = new(
        "d-1", "web", DeploymentKind.Deploy, DeploymentState.Succeeded, "web:v2", null, null, null, "github:acme/web#42", DateTimeOffset.UnixEpoch, null, null,
        "blue", null);

    [Fact]
    public void ToProto_Deployment_CarriesTheClaimAndTheAuthenticatedCallerApart()
    {
        var message = (Deployed with { Caller = "ci-github (thumbprint ab12cd34ef56…)" }).ToProto();

        Assert.Equal("github:acme/web#42", message.RequestedBy);
        Assert.Equal("ci-github (thumbprint ab12cd34ef56…)", message.Caller);
    }

    [Fact]
    public void ToProto_DeploymentRecordedBeforeTheCallerWasKept_HasAnEmptyCaller() =>
        Assert.Equal("", Deployed.ToProto().Caller);
}
