using Mizan.Agent.Access;
using Mizan.Agent.Apps.Options;

namespace Mizan.Agent.Tests.Access;

public class CallRightsTests
{
    private static Caller Viewer =>
        new("ci-view", new string('a', 64), Role.Viewer, new HashSet<string>(), "127.0.0.1:5000", "ci-view (thumbprint aaaaaaaaaaaa…)");

    private static Caller DeployerOfWeb =>
        new("ci-github", new string('b', 64), Role.Deployer, new HashSet<string> { "web" }, "127.0.0.1:5000", "ci-github (thumbprint bbbbbbbbbbbb…)");

    private static Caller Admin => new("root", null, Role.Admin, null, "unix", "uid 0 (root)");

    [Theory]
    [InlineData("/mizan.agent.v1.AgentService/GetStatus", Right.View)]
    [InlineData("/mizan.agent.v1.AgentService/ListDeployments", Right.View)]
    [InlineData("/mizan.agent.v1.AgentService/GetDeployment", Right.View)]
    [InlineData("/mizan.agent.v1.AgentService/WatchDeployment", Right.View)]
    [InlineData("/mizan.agent.v1.AgentService/ListAudit", Right.View)]
    [InlineData("/mizan.agent.v1.AgentService/GetHealth", Right.View)]
    [InlineData("/grpc.health.v1.Health/Check", Right.View)]
    [InlineData("/grpc.health.v1.Health/Watch", Right.View)]
    [InlineData("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", Right.View)]
    [InlineData("/mizan.agent.v1.AgentService/Deploy", Right.ChangeApp)]
    [InlineData("/mizan.agent.v1.AgentService/Rollback", Right.ChangeApp)]
    [InlineData("/mizan.agent.v1.AgentService/Pull", Right.ChangeApp)]
    [InlineData("/mizan.agent.v1.AgentService/StartSlot", Right.ChangeApp)]
    [InlineData("/mizan.agent.v1.AgentService/CheckSlot", Right.ChangeApp)]
    [InlineData("/mizan.agent.v1.AgentService/Switch", Right.ChangeApp)]
    [InlineData("/mizan.agent.v1.AgentService/ReloadConfiguration", Right.Admin)]
    [InlineData("/other.Service/Anything", Right.Admin)]
    public void Required_Method_IsTheRightItNeeds(string method, Right expected)
    {
        Assert.Equal(expected, CallRights.Required(method));
    }

    [Fact]
    public void Refusal_ViewerDeploys_NamesTheMissingRight()
    {
        Assert.Equal("ci-view (viewer) may not Deploy: needs deployer for app web", CallRights.Refusal(Viewer, "/mizan.agent.v1.AgentService/Deploy", "web"));
    }

    [Fact]
    public void Refusal_ViewerReadsStatus_IsAllowed()
    {
        Assert.Null(CallRights.Refusal(Viewer, "/mizan.agent.v1.AgentService/GetStatus", "web"));
        Assert.Null(CallRights.Refusal(Viewer, "/grpc.health.v1.Health/Check", null));
    }

    [Fact]
    public void Refusal_DeployerOfItsApp_IsAllowed()
    {
        Assert.Null(CallRights.Refusal(DeployerOfWeb, "/mizan.agent.v1.AgentService/Deploy", "web"));
        Assert.Null(CallRights.Refusal(DeployerOfWeb, "/mizan.agent.v1.AgentService/Switch", "web"));
    }

    [Fact]
    public void Refusal_DeployerOfAnotherApp_NamesTheApp()
    {
        Assert.Equal(
            "ci-github (deployer) may not Rollback: needs deployer for app api",
            CallRights.Refusal(DeployerOfWeb, "/mizan.agent.v1.AgentService/Rollback", "api"));
    }

    [Fact]
    public void Refusal_DeployerWithoutApp_IsRefused()
    {
        Assert.NotNull(CallRights.Refusal(DeployerOfWeb, "/mizan.agent.v1.AgentService/Deploy", ""));
    }

    [Fact]
    public void Refusal_DeployerCallsAdminMethod_NeedsAdmin()
    {
        Assert.Equal("ci-github (deployer) may not Reload: needs admin", CallRights.Refusal(DeployerOfWeb, "/mizan.agent.v1.AgentService/Reload", "web"));
    }

    [Fact]
    public void Refusal_Admin_IsAllowedEverything()
    {
        Assert.Null(CallRights.Refusal(Admin, "/mizan.agent.v1.AgentService/Deploy", "any"));
        Assert.Null(CallRights.Refusal(Admin, "/mizan.agent.v1.AgentService/Reload", null));
    }
}
