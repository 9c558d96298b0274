using System.Globalization;

namespace Mizan.Agent.Access;

/// <summary>
/// Who may use the unix socket: root, and members of Security:LocalGroup (by the caller's gid, its primary group in
/// /etc/passwd, or the group's member list in /etc/group). The files are read at each call, so a change to the group
/// takes effect without a restart.
/// </summary>
public sealed class LocalAccess(string groupName, string groupFile = "/etc/group", string passwdFile = "/etc/passwd")
{
    public string GroupName { get; } = groupName;

    public bool IsAdmin(PeerCredentials peer)
    {
        if (peer.UserId == 0)
        {
            return true;
        }

        try
        {
            return GroupMembership.IsMember(peer.UserId, peer.GroupId, GroupName, File.ReadLines(groupFile), File.ReadLines(passwdFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>Group membership as /etc/group ("name:x:gid:user1,user2") and /etc/passwd ("name:x:uid:gid:...") say.</summary>
public static class GroupMembership
{
    public static bool IsMember(int uid, int gid, string group, IEnumerable<string> groupLines, IEnumerable<string> passwdLines)
    {
        int? groupId = null;
        string[] members = [];
        foreach (var line in groupLines)
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                groupId = id;
                members = fields.Length >= 4 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
                break;
            }
        }

        if (groupId is not { } wanted)
        {
            return false;
        }

        if (gid == wanted)
        {
            return true;
        }

        var userId = uid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in passwdLines)
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[2] == userId)
            {
                return (int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var primary) && primary == wanted)
                    || members.Contains(fields[0], StringComparer.Ordinal);
            }
        }

        return false;
    }
}
