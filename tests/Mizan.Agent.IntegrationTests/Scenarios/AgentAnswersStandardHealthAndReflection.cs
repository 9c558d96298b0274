using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Mizan.Agent.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class AgentAnswersStandardHealthAndReflection(ITestOutputHelper output) : IntegrationTestBase(output)
{
    [Fact]
    public async Task HealthSaysServingAndReflectionListsTheAgentService()
    {
        await StartAsync();
        using var channel = UnixSocketChannel.Create(Config.SocketPath);

        var health = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest { Service = "mizan.agent.v1.AgentService" },
            cancellationToken: Token);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: Token);
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, Token);
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(Token));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("mizan.agent.v1.AgentService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
