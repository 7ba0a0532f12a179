using System.Runtime.InteropServices;

namespace Futuswarm.Build.Framework;

/// <summary>The few libc calls .NET has no managed API for.</summary>
public static class Posix
{
    public const int SIGKILL = 9, SIGTERM = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SysKill(int pid, int sig);

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    static extern int SysChown(string path, int owner, int group);

    [DllImport("libc", EntryPoint = "geteuid")]
    public static extern uint GetEuid();

    public static void Kill(int pid, int signal)
    {
        const int ESRCH = 3; // already gone: nothing to do
        if (SysKill(pid, signal) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno != ESRCH) throw new IOException($"kill({pid}, {signal}) failed: errno {errno}");
    }

    public static void Chown(string path, int uid, int gid)
    {
        if (SysChown(path, uid, gid) != 0)
            throw new IOException($"chown {uid}:{gid} {path} failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
