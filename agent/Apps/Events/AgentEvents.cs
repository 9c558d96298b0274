using System.Threading.Channels;

namespace Mizan.Agent.Apps.Events;

/// <summary>
/// In-process fan-out of agent events. Publishing never blocks and never fails the publisher: each subscriber has its
/// own bounded queue, and a subscriber that falls behind loses its oldest events rather than slowing a deploy.
/// </summary>
public sealed class AgentEvents
{
    private const int QueueLength = 1024;
    private readonly List<Channel<AgentEvent>> subscribers = [];

    public void Publish(AgentEvent agentEvent)
    {
        lock (subscribers)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(agentEvent);
            }
        }
    }

    /// <summary>Events published from now on; dispose the subscription to stop receiving them.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<AgentEvent>(new BoundedChannelOptions(QueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (subscribers)
        {
            subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    private void Unsubscribe(Channel<AgentEvent> channel)
    {
        lock (subscribers)
        {
            subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    public sealed class Subscription(AgentEvents owner, Channel<AgentEvent> channel) : IDisposable
    {
        public ChannelReader<AgentEvent> Reader => channel.Reader;

        public void Dispose() => owner.Unsubscribe(channel);
    }
}
