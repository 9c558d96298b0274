using System.Runtime.InteropServices;

namespace Mizan.Agent.Runtime.Traffic.Redirect;

/// <summary>
/// A netlink socket subscribed to nftables' change notifications (the group `nft monitor` listens to): every ruleset
/// change, anyone's, arrives as a message at once. The agent reads them only as "something changed": what changed is
/// read back from the table.
/// </summary>
public sealed partial class NetfilterEvents : IDisposable
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkNetfilter = 12;

    // NFNLGRP_NFTABLES is group 7; bind takes a bit mask of groups 1-32.
    private const uint NftablesGroupMask = 1u << (7 - 1);
    private const short PollIn = 1;
    private const int MsgDontWait = 0x40;

    private readonly int descriptor;
    private readonly byte[] buffer = new byte[64 * 1024];

    private NetfilterEvents(int descriptor) => this.descriptor = descriptor;

    /// <exception cref="IOException">The socket cannot be opened or subscribed (no CAP_NET_ADMIN, or AF_NETLINK not allowed).</exception>
    public static NetfilterEvents Open()
    {
        var descriptor = Socket(AfNetlink, SockRaw | SockCloexec, NetlinkNetfilter);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open a netfilter netlink socket: {LastError()}");
        }

        var address = new SocketAddressNetlink { Family = AfNetlink, Groups = NftablesGroupMask };
        if (Bind(descriptor, ref address, Marshal.SizeOf<SocketAddressNetlink>()) != 0)
        {
            var error = LastError();
            _ = Close(descriptor);
            throw new IOException($"cannot subscribe to nftables' change notifications: {error}");
        }

        return new NetfilterEvents(descriptor);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for notifications; true when at least one arrived (all waiting ones are read).</summary>
    public bool Wait(TimeSpan timeout)
    {
        var poll = new PollDescriptor { Descriptor = descriptor, Events = PollIn };
        if (Poll(ref poll, 1, (int)timeout.TotalMilliseconds) <= 0)
        {
            return false;
        }

        // Drained, so one burst of changes (a whole transaction is several messages) is one wake-up. A full socket buffer
        // (ENOBUFS) also means "something changed".
        while (Receive(descriptor, buffer, buffer.Length, MsgDontWait) > 0)
        {
        }

        return true;
    }

    public void Dispose() => _ = Close(descriptor);

    private static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    [StructLayout(LayoutKind.Sequential)]
    private struct SocketAddressNetlink
    {
        public ushort Family;
        public ushort Padding;
        public uint ProcessId;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int descriptor, ref SocketAddressNetlink address, int length);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollDescriptor descriptors, uint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int descriptor, byte[] buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
