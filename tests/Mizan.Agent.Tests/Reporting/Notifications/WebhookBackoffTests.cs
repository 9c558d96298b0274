using Mizan.Agent.Reporting.Notifications;

namespace Mizan.Agent.Tests.Reporting.Notifications;

public class WebhookBackoffTests
{
    private static WebhookBackoff Backoff(double random) =>
        new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), () => random);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(40, 30)]
    public void CeilingFor_Retry_DoublesUpToTheMaximum(int retry, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff(0).CeilingFor(retry));
    }

    [Theory]
    [InlineData(0.0, 2000)]
    [InlineData(0.5, 3000)]
    [InlineData(1.0, 4000)]
    [InlineData(7.0, 4000)]
    public void DelayBefore_Jitter_StaysBetweenHalfTheCeilingAndTheCeiling(double random, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Backoff(random).DelayBefore(2, retryAfter: null));
    }

    [Fact]
    public void DelayBefore_RetryAfter_WinsOverTheBackoff()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), Backoff(0.5).DelayBefore(0, TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public void DelayBefore_RetryAfterBeyondTheCap_WaitsTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Backoff(0.5).DelayBefore(0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void DelayBefore_RetryAfterInThePast_DoesNotWait()
    {
        Assert.Equal(TimeSpan.Zero, Backoff(0.5).DelayBefore(0, TimeSpan.FromSeconds(-5)));
    }
}
