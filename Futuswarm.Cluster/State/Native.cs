using System.Runtime.InteropServices;

namespace Futuswarm.Cluster.State;

/// <summary>The few libc calls .NET has no API for.</summary>
public static partial class Native
{
    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getgrnam(string name);

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    public static void Chown(string path, int uid, int gid)
    {
        if (chown(path, uid, gid) != 0)
            throw new IOException($"chown {path} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>gid of a group, or null. struct group { char* gr_name; char* gr_passwd; gid_t gr_gid; ... }</summary>
    public static int? GroupId(string name)
    {
        var p = getgrnam(name);
        return p == IntPtr.Zero ? null : Marshal.ReadInt32(p, 2 * IntPtr.Size);
    }

    /// <summary>uid of a user, or null. struct passwd { char* pw_name; char* pw_passwd; uid_t pw_uid; ... }</summary>
    public static int? UserId(string name)
    {
        var p = getpwnam(name);
        return p == IntPtr.Zero ? null : Marshal.ReadInt32(p, 2 * IntPtr.Size);
    }
}
