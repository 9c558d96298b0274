using Mizan.Agent.Access;

namespace Mizan.Agent.Tests.Access;

public class GroupMembershipTests
{
    private static readonly string[] Group =
    [
        "root:x:0:",
        "mizan:x:990:alice, bob",
        "deploy:x:1002:",
        "users:x:100:",
    ];

    private static readonly string[] Passwd =
    [
        "root:x:0:0:root:/root:/bin/bash",
        "alice:x:1000:100::/home/alice:/bin/bash",
        "carol:x:1001:990::/home/carol:/bin/bash",
        "dave:x:1003:100::/home/dave:/bin/bash",
        "bob:x:1004:100::/home/bob:/bin/bash",
    ];

    [Fact]
    public void IsMember_ListedInGroup_IsMember()
    {
        Assert.True(GroupMembership.IsMember(1000, 100, "mizan", Group, Passwd));
        Assert.True(GroupMembership.IsMember(1004, 100, "mizan", Group, Passwd));
    }

    [Fact]
    public void IsMember_PrimaryGroupInPasswd_IsMember()
    {
        Assert.True(GroupMembership.IsMember(1001, 1001, "mizan", Group, Passwd));
    }

    [Fact]
    public void IsMember_CallerGidIsTheGroup_IsMember()
    {
        Assert.True(GroupMembership.IsMember(4242, 990, "mizan", Group, Passwd));
    }

    [Fact]
    public void IsMember_NotListed_IsNotMember()
    {
        Assert.False(GroupMembership.IsMember(1003, 100, "mizan", Group, Passwd));
    }

    [Fact]
    public void IsMember_UnknownUser_IsNotMember()
    {
        Assert.False(GroupMembership.IsMember(5000, 5000, "mizan", Group, Passwd));
    }

    [Fact]
    public void IsMember_GroupDoesNotExist_IsNotMember()
    {
        Assert.False(GroupMembership.IsMember(1000, 100, "nosuchgroup", Group, Passwd));
    }

    [Fact]
    public void IsMember_GroupNameIsPrefixOfAnother_DoesNotMatch()
    {
        Assert.False(GroupMembership.IsMember(1000, 100, "miza", Group, Passwd));
    }

    [Fact]
    public void IsAdmin_Root_IsAdminWithoutReadingFiles()
    {
        var access = new LocalAccess("mizan", "/nonexistent/group", "/nonexistent/passwd");

        Assert.True(access.IsAdmin(new PeerCredentials(1, 0, 0)));
        Assert.False(access.IsAdmin(new PeerCredentials(1, 1000, 1000)));
    }
}
