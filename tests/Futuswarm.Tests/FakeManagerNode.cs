using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>A pretend Debian manager node for the manager steps: a machine type, users, files with modes, directories
/// with owners, systemd units and pid-file services that "run" once started (the daemon's socket opens with it), and
/// ensure-database-master answering as the real command does. Every command is recorded; an unknown one fails, so a
/// test sees any command it did not expect. Written and read bytes are copies (the host key step clears its buffer).</summary>
internal sealed class FakeManagerNode(string name = "fake-manager", string machine = "x86_64") : INodeShell
{
    public string Name => name;
    public List<string[]> Commands { get; } = [];
    public Dictionary<string, (byte[] Content, UnixFileMode Mode)> Files { get; } = [];
    public List<string> Writes { get; } = [];
    public Dictionary<string, UnixFileMode> WrittenModes { get; } = [];
    /// <summary>Commands and writes in one order ("run ..." / "write path").</summary>
    public List<string> Events { get; } = [];
    public HashSet<string> Users { get; } = [];
    /// <summary>Directory -> "uid:gid:mode" as stat prints it; a directory is also implied by the files below it.</summary>
    public Dictionary<string, string> Directories { get; } = [];
    public HashSet<string> Enabled { get; } = [];
    /// <summary>systemd unit names or pid files of what runs now.</summary>
    public HashSet<string> Running { get; } = [];
    public HashSet<string> Programs { get; } = ["/usr/sbin/sshd", "/usr/bin/jq"];
    /// <summary>The daemon's socket path (by default under the AWS managers' root): open once the daemon (re)starts,
    /// unless a test wants a daemon that never opens it.</summary>
    public string DaemonSocket { get; set; } = new ManagerPaths("/opt/futuswarm").Socket;
    public bool SocketOpen { get; private set; }
    public bool DaemonOpensSocket { get; set; } = true;
    /// <summary>The daemon is gone right after each start (bad configuration).</summary>
    public bool DaemonExitsAtStart { get; set; }
    public string LogTail { get; set; } = "";
    /// <summary>sshd -t refuses the configuration.</summary>
    public bool SshdConfigInvalid { get; set; }
    public int DatabaseMasterRuns { get; private set; }

    static readonly string[] MutatingPrograms = ["useradd", "usermod", "ssh-keygen", "tar", "mv", "rm", "chown", "chmod", "apt-get", "sh"];

    /// <summary>What changes the node (or a running program); reads and mkdir -p do not.</summary>
    public static bool IsMutating(string[] c) =>
        MutatingPrograms.Contains(c[0])
        || c is ["systemctl", "daemon-reload" or "enable" or "restart", ..]
        || c is ["start-stop-daemon", "--start" or "--stop", ..];

    public Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        var a = argv.ToArray();
        Commands.Add(a);
        Events.Add("run " + string.Join(' ', a));
        return Task.FromResult(Handle(a));
    }

    static ShellResult Ok(string o = "") => new(0, o, "");
    static ShellResult Fail(string e = "") => new(1, "", e);
    static ShellResult If(bool ok) => ok ? Ok() : Fail();
    static readonly ShellResult Missing = Fail("No such file or directory");

    ShellResult Handle(string[] a)
    {
        switch (a)
        {
            case ["uname", "-m"]: return Ok(machine + "\n");
            case ["id", "-u", var u]: return Users.Contains(u) ? Ok("999\n") : Fail("no such user");
            case ["useradd", .., var u]: Users.Add(u); return Ok();
            case ["usermod", "-p", "*", _]: return Ok();
            case ["mkdir", "-p", .. var dirs]:
                foreach (var d in dirs) Directories.TryAdd(d, "0:0:755");
                return Ok();
            case ["chmod", var mode, var p]:
                if (Directories.TryGetValue(p, out var attributes)) Directories[p] = attributes[..(attributes.LastIndexOf(':') + 1)] + mode.TrimStart('0');
                else if (Files.TryGetValue(p, out var f)) Files[p] = (f.Content, (UnixFileMode)Convert.ToInt32(mode, 8));
                else return Missing;
                return Ok();
            case ["chown", var owner, var p]:
                if (!Directories.TryGetValue(p, out var was)) return Missing;
                Directories[p] = owner + was[was.LastIndexOf(':')..];
                return Ok();
            case ["rm", "-f" or "-rf", .. var paths]:
                foreach (var p in paths) Remove(p);
                if (paths.Contains(DaemonSocket)) SocketOpen = false;
                return Ok();
            case ["stat", "-c", "%a", var p]:
                return Files.TryGetValue(p, out var file) ? Ok(Convert.ToString((int)file.Mode, 8) + "\n") : Missing;
            case ["stat", "-c", "%u:%g:%a", var p]: return Directories.TryGetValue(p, out var stated) ? Ok(stated + "\n") : Missing;
            case ["test", "-s", var p]: return If(Files.TryGetValue(p, out var s) && s.Content.Length > 0);
            case ["test", "-e", var p]: return If(Directories.ContainsKey(p) || Under(Files, p).Any());
            case ["test", "-x", var p]: return If(Programs.Contains(p));
            case ["test", "-S", var p]: return If(p == DaemonSocket && SocketOpen);
            case ["ssh-keygen", .., "-f", var key]:
                Files[key] = ("generated private key"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Files[key + ".pub"] = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGeneratedOnTheNode0000000000000000000000 futuswarm-api\n"u8.ToArray(),
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                return Ok();
            case ["tar", "-xzf", _, "-C", var dir, "--no-same-owner"]: // a self-contained bundle: the apphost beside the dll
                Files[dir + "/Futuswarm.Cluster"] = ("apphost"u8.ToArray(), (UnixFileMode)0b111_101_101);
                Files[dir + "/Futuswarm.Cluster.dll"] = ("dll"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                return Ok();
            case ["mv", var from, var to]:
                Move(Files, from, to);
                Move(Directories, from, to);
                return Ok();
            case ["systemctl", "daemon-reload"]: return Ok();
            case ["systemctl", "is-enabled", "--quiet", var u]: return If(Enabled.Contains(u));
            case ["systemctl", "enable", "--quiet", var u]: Enabled.Add(u); return Ok();
            case ["systemctl", "is-active", "--quiet", var u]: return If(Running.Contains(u));
            case ["systemctl", "restart", var u]: Start(u); return Ok();
            case ["journalctl", ..] or ["tail", "-n", "20", _]: return Ok(LogTail);
            case ["start-stop-daemon", "--status", "--pidfile", var pid, "--name", _]: return If(Running.Contains(pid));
            case ["start-stop-daemon", "--stop", .. var rest]: Running.Remove(rest[Array.IndexOf(rest, "--pidfile") + 1]); return Ok();
            case ["start-stop-daemon", "--start", .. var rest]: Start(rest[Array.IndexOf(rest, "--pidfile") + 1]); return Ok();
            case [var sshd, "-t", "-f", _] when Programs.Contains(sshd): return SshdConfigInvalid ? Fail("Bad configuration option") : Ok();
            case ["sh", "-c", _, "sh", _, .. var command] when command.Contains("ensure-database-master"):
                DatabaseMasterRuns++;
                return Ok(DatabaseMasterRuns == 1
                    ? "database: created role futuswarm_master\ndatabase: futuswarm_master on db:5432 is set up\n"
                    : "database: futuswarm_master on db:5432 was already set up; nothing changed\n");
        }
        return Fail("unexpected command " + string.Join(' ', a));
    }

    void Start(string what)
    {
        var daemon = what.Contains("managerd");
        if (daemon && DaemonExitsAtStart) return;
        Running.Add(what);
        if (daemon) SocketOpen = DaemonOpensSocket;
    }

    /// <summary>The path itself and anything below it.</summary>
    static List<string> Under<T>(Dictionary<string, T> entries, string path) =>
        entries.Keys.Where(k => k == path || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList();

    void Remove(string path)
    {
        foreach (var f in Under(Files, path)) Files.Remove(f);
        foreach (var d in Under(Directories, path)) Directories.Remove(d);
    }

    static void Move<T>(Dictionary<string, T> entries, string from, string to)
    {
        foreach (var k in Under(entries, from))
        {
            entries[to + k[from.Length..]] = entries[k];
            entries.Remove(k);
        }
    }

    public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
    {
        Files[path] = (content.ToArray(), mode);
        Writes.Add(path);
        WrittenModes[path] = mode;
        Events.Add("write " + path);
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) =>
        Task.FromResult(Files.TryGetValue(path, out var f) ? f.Content.ToArray() : null);

    public string Text(string path) => Encoding.UTF8.GetString(Files[path].Content);

    public void Dispose() { }
}
