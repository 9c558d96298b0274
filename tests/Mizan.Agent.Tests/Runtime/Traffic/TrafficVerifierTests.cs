using System.Net;
using Mizan.Agent.Apps;
using Mizan.Agent.Apps.Options;
using Mizan.Agent.Runtime.Probes;
using Mizan.Agent.Runtime.Traffic;
using Mizan.Agent.Tests.Doubles;

namespace Mizan.Agent.Tests.Runtime.Traffic;

public class TrafficVerifierTests
{
    private const string App = "web";
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

        var result = await Verifier(nginx).VerifyAsync(App, Verify, Slot.Green, CancellationToken.None);

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

        var result = await Verifier(nginx).VerifyAsync(App, Verify, Slot.Green, CancellationToken.None);

        Assert.False(result.Passed);
        Assert.Contains("HTTP 404", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_OnlyOldSlotAnswers_FailsAtTimeoutNamingWhoAnswered()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, OldSlot));

        var result = await Verifier(nginx).VerifyAsync(App, Verify with { Timeout = TimeSpan.FromMilliseconds(200) }, Slot.Green, CancellationToken.None);

        Assert.False(result.Passed);
        Assert.Contains(OldSlot, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_NoUpstreamHeader_CountsEveryAnswer()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, null));

        var result = await Verifier(nginx).VerifyAsync(App, Verify, Slot.Green, CancellationToken.None);

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

        var result = await Verifier(nginx).WaitUntilRoutedAsync(App, Verify, Slot.Green, CancellationToken.None);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(5, nginx.Requests);
    }

    [Fact]
    public async Task VerifyAsync_NoUrl_IsSkipped()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, null));

        var result = await Verifier(nginx).VerifyAsync(App, Verify with { Url = "" }, Slot.Green, CancellationToken.None);

        Assert.True(result.Passed);
        Assert.Equal(0, nginx.Requests);
    }

    [Fact]
    public async Task VerifyAsync_BehindFrontPorts_CountsOnlyAnswersAttributedToTheNewSlot()
    {
        var nginx = new ScriptedNginx(
            (HttpStatusCode.OK, "127.0.0.1:18700"),
            (HttpStatusCode.OK, "127.0.0.1:18709"),
            (HttpStatusCode.OK, "127.0.0.1:18709"),
            (HttpStatusCode.OK, "127.0.0.1:18709"));
        var router = new FakeTrafficRouter(Options())
        {
            Attribution = new SlotAttribution(new Dictionary<string, Slot>(StringComparer.Ordinal)
            {
                ["127.0.0.1:18700"] = Slot.Blue,
                ["127.0.0.1:18709"] = Slot.Green,
            }),
        };

        var result = await new TrafficVerifier(new HttpProbe(new HttpClient(nginx)), router, TimeProvider.System)
            .VerifyAsync(App, Verify, Slot.Green, CancellationToken.None);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(4, nginx.Requests);
    }

    private static AgentOptions Options() => new() { Apps = { [App] = new AppOptions { BluePort = 18081, GreenPort = 18082 } } };

    [Fact]
    public async Task WaitUntilRoutedAsync_BehindRedirects_TakesTheFirstAnswerFromTheSlot()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.NotFound, NewSlot), (HttpStatusCode.OK, OldSlot));

        var result = await Verifier(nginx, TrafficMode.Redirect).WaitUntilRoutedAsync(App, Verify, Slot.Green, CancellationToken.None);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(1, nginx.Requests);
    }

    [Fact]
    public async Task VerifyAsync_BehindRedirects_SuccessesFollowWithoutWaiting()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, NewSlot));
        var clock = new TestClock();
        var started = clock.GetUtcNow();
        var verifier = new TrafficVerifier(new HttpProbe(new HttpClient(nginx)), new FakeTrafficRouter(Options()) { Mode = TrafficMode.Redirect }, clock);

        var verifying = verifier.VerifyAsync(App, Verify with { Interval = TimeSpan.FromSeconds(1) }, Slot.Green, CancellationToken.None);
        await clock.DriveAsync(verifying);
        var result = await verifying;

        Assert.True(result.Passed, result.Message);
        Assert.Equal(3, nginx.Requests);
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow() - started);
    }

    [Fact]
    public async Task VerifyAsync_AfterAReload_SuccessesKeepTheIntervalApart()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, NewSlot));
        var clock = new TestClock();
        var started = clock.GetUtcNow();
        var verifier = new TrafficVerifier(new HttpProbe(new HttpClient(nginx)), new FakeTrafficRouter(Options()) { Mode = TrafficMode.Reload }, clock);

        var verifying = verifier.VerifyAsync(App, Verify with { Interval = TimeSpan.FromSeconds(1) }, Slot.Green, CancellationToken.None);
        await clock.DriveAsync(verifying);
        var result = await verifying;

        Assert.True(result.Passed, result.Message);
        Assert.Equal(TimeSpan.FromSeconds(2), clock.GetUtcNow() - started);
    }

    [Fact]
    public async Task WaitUntilRoutedAsync_AfterAReload_AnswersKeepTheIntervalApart()
    {
        var nginx = new ScriptedNginx((HttpStatusCode.OK, NewSlot));
        var clock = new TestClock();
        var started = clock.GetUtcNow();
        var verifier = new TrafficVerifier(new HttpProbe(new HttpClient(nginx)), new FakeTrafficRouter(Options()) { Mode = TrafficMode.Reload }, clock);

        var confirming = verifier.WaitUntilRoutedAsync(App, Verify with { Interval = TimeSpan.FromSeconds(1) }, Slot.Green, CancellationToken.None);
        await clock.DriveAsync(confirming);
        var result = await confirming;

        Assert.True(result.Passed, result.Message);
        Assert.Equal(3, nginx.Requests);
        Assert.Equal(TimeSpan.FromSeconds(2), clock.GetUtcNow() - started);
    }

    /// <summary>The reload mode by default: its old workers are what most of these tests wait out.</summary>
    private static TrafficVerifier Verifier(ScriptedNginx nginx, TrafficMode mode = TrafficMode.Reload) =>
        new(new HttpProbe(new HttpClient(nginx)), new FakeTrafficRouter(Options()) { Mode = mode }, TimeProvider.System);

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
