using Google.Protobuf;
using Mizan.Agent.V1;
using Mizan.Control.Output;

namespace Mizan.Control.Tests.Output;

public class JsonOutputTests
{
    [Fact]
    public void Format_WorkflowCommandsInAgentText_CannotActAndTheValueReadsBackTheSame()
    {
        var deployment = TestData.Deployment(DeploymentState.Failed, "log:\n::add-mask::s3cr3t\n##[set-output name=state;]succeeded ##vso[task.setvariable]x");

        var json = JsonOutput.Format(deployment);

        Assert.DoesNotContain('\n', json);
        Assert.DoesNotContain('#', json);
        Assert.StartsWith("{", json, StringComparison.Ordinal);
        Assert.Empty(WorkflowCommandReader.Read(json).Acted);
        Assert.Equal(deployment, JsonParser.Default.Parse<Deployment>(json));
    }
}
