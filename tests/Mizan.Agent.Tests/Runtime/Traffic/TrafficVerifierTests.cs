using System.Net;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Probes;
using Mizan.Agent.Runtime.Traffic;

namespace Mizan.Agent.Tests.Runtime.Traffic;

public class TrafficVerifierTests
{
    private const int NewPort = 18082;
    private const string OldSlot = "127.0.0.1:18081";
    private const string NewSlot = "127.0.0.1:18082";

    private static readonly VerifyOptions Verify = new()
    {
        Url = "http://127.0.0.1:8080/",
        Interval = TimeSpan.FromMilliseconds(1),
        SuccessesNeeded = 3,
        Timeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task VerifyAsync_OldWorkersStillAnswering_WaitsThemOutAndPasses()
    {
        var nginx = new ScriptedNginx(
            (HttpStatusCode.OK, OldSlot),
            (HttpStatusCode.NotFound, OldSlot),
            (HttpStatusCode.OK, NewSlot),
            (HttpStatusCode.OK, NewSlot),
            (HttpStatusCode.OK, NewSlot));

        var result = await Verifier(nginx).VerifyAsync(Verify, NewPort, CancellationToken.None);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(5, nginx.Requests);
    }

    [Fact]
    public async Task VerifyAsync_NewSlotFailsRepeatedly_FailsWithTheStatus()
    {
        var nginx = new ScriptedNginx(
            (HttpStatusCode.OK, NewSlot),
            (HttpStatusCode.NotFound, NewSlot),
            (HttpStatusCode.NotFound, NewSlot),
            (HttpStatusCode.NotFound, NewSlot));

        var result = await Verifier(nginx).VerifyAsync(Verify, NewPort, CancellationToken.None);

        Assert.False(result.Passed);
        Assert.Contains("HTTP 404", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_OnlyOldSlotAnswers_FailsAtTimeoutNamingWhoAnswered()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, OldSlot));

        var result = await Verifier(nginx).VerifyAsync(Verify with { Timeout = TimeSpan.FromMilliseconds(200) }, NewPort, CancellationToken.None);

        Assert.False(result.Passed);
        Assert.Contains(OldSlot, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_NoUpstreamHeader_CountsEveryAnswer()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, null));

        var result = await Verifier(nginx).VerifyAsync(Verify, NewPort, CancellationToken.None);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(3, nginx.Requests);
    }

    [Fact]
    public async Task WaitUntilRoutedAsync_OneNewAnswerThenAnOldOne_StartsCountingAgain()
    {
        var nginx = new ScriptedNginx(
            (HttpStatusCode.BadGateway, NewSlot),
            (HttpStatusCode.OK, OldSlot),
            (HttpStatusCode.NotFound, NewSlot),
            (HttpStatusCode.NotFound, NewSlot),
            (HttpStatusCode.NotFound, NewSlot));

        var result = await Verifier(nginx).WaitUntilRoutedAsync(Verify, NewPort, CancellationToken.None);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(5, nginx.Requests);
    }

    [Fact]
    public async Task VerifyAsync_NoUrl_IsSkipped()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, null));

        var result = await Verifier(nginx).VerifyAsync(Verify with { Url = "" }, NewPort, CancellationToken.None);

        Assert.True(result.Passed);
        Assert.Equal(0, nginx.Requests);
    }

    private static TrafficVerifier Verifier(ScriptedNginx nginx) => new(new HttpProbe(new HttpClient(nginx)), TimeProvider.System);

    /// <summary>Answers with the scripted responses in order, repeating the last one.</summary>
    private sealed class ScriptedNginx(params (HttpStatusCode Status, string? Upstream)[] answers) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (status, upstream) = answers[Math.Min(Requests, answers.Length - 1)];
            Requests++;
            var response = new HttpResponseMessage(status);
            if (upstream is not null)
            {
                response.Headers.Add(HttpProbe.ServedByHeader, upstream);
            }

            return Task.FromResult(response);
        }
    }
}
