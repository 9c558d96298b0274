using Grpc.Core;
using Mizan.Agent.IntegrationTests.Fixtures;
using Mizan.Agent.V1;
using Xunit.Abstractions;

namespace Mizan.Agent.IntegrationTests.Scenarios;

public sealed class InvalidUtf8IsRefusedBeforeAnyHandler(ITestOutputHelper output) : IntegrationTestBase(output)
{
    // GetStatus and Deploy taking raw bytes, so a request can carry what no protobuf library would encode.
    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> RawGetStatus = new(MethodType.Unary, "mizan.agent.v1.AgentService", "GetStatus", RawBytes, RawBytes);
    private static readonly Method<byte[], byte[]> RawDeploy = new(MethodType.ServerStreaming, "mizan.agent.v1.AgentService", "Deploy", RawBytes, RawBytes);

    [Fact]
    public async Task AStringFieldWithBytesThatAreNotUtf8FailsTheCallAndNothingIsDeployed()
    {
        await StartAsync();
        var image = await ImageAsync(AppVariant.V1);
        using var channel = UnixSocketChannel.Create(Config.SocketPath);
        var invoker = channel.CreateCallInvoker();
        var options = new CallOptions(deadline: EventStreams.Deadline(TimeSpan.FromSeconds(20)), cancellationToken: Token);
        // GetStatusRequest.app (field 1): "web" then C3 28, a broken two-byte sequence. DeployRequest: a valid app
        // (field 1) and image (field 2), and requested_by (field 5) ending in FF FE, bytes UTF-8 never uses.
        byte[] status = [0x0A, 0x05, (byte)'w', (byte)'e', (byte)'b', 0xC3, 0x28];
        byte[] deploy = [0x0A, .. LengthPrefixed(AppName), 0x12, .. LengthPrefixed(image.Tag), 0x2A, 0x04, (byte)'c', (byte)'i', 0xFF, 0xFE];

        var statusRefusal = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(RawGetStatus, null, options, status).ResponseAsync);
        var deployRefusal = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = invoker.AsyncServerStreamingCall(RawDeploy, null, options, deploy);
            while (await call.ResponseStream.MoveNext(Token))
            {
            }
        });

        // Protobuf refuses the message while reading it, before the agent's interceptors: gRPC reports UNKNOWN. A
        // decoder that put U+FFFD in its place instead would meet the request rules: INVALID_ARGUMENT.
        Output.WriteLine($"GetStatus: {statusRefusal.Status}{Environment.NewLine}Deploy: {deployRefusal.Status}");
        Assert.Contains(statusRefusal.StatusCode, (StatusCode[])[StatusCode.Unknown, StatusCode.InvalidArgument]);
        Assert.Contains(deployRefusal.StatusCode, (StatusCode[])[StatusCode.Unknown, StatusCode.InvalidArgument]);
        var deployments = await Client.ListDeploymentsAsync(new ListDeploymentsRequest { App = AppName }, cancellationToken: Token);
        Assert.Empty(deployments.Deployments);
        Assert.Empty(await AppContainersAsync());
        Assert.Equal(AppName, (await StatusAsync()).App);
    }

    private static byte[] LengthPrefixed(string text)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        return [(byte)utf8.Length, .. utf8];
    }
}
