using System.Text;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.Tests;

/// <summary>A pretend manager node for the manager steps: files with modes, users, systemd units and pid-file services
/// that "run" once started, recording every command. Unknown commands fail, so a test sees any command it did not
/// expect. Written bytes are copied (the host key step clears its buffer after writing).</summary>
internal sealed class FakeManagerNode(string name = "fake-manager") : INodeShell
{
    public string Name => name;
    public List<string[]> Commands { get; } = [];
    public Dictionary<string, (byte[] Content, UnixFileMode Mode)> Files { get; } = [];
    public List<string> Writes { get; } = [];
    public Dictionary<string, UnixFileMode> WrittenModes { get; } = [];
    /// <summary>Commands and writes in one order ("run ..." / "write path").</summary>
    public List<string> Events { get; } = [];
    public HashSet<string> Users { get; } = [];
    public HashSet<string> Enabled { get; } = [];
    /// <summary>systemd unit names or pid files of what runs now.</summary>
    public HashSet<string> Running { get; } = [];
    public HashSet<string> Programs { get; } = ["/usr/sbin/sshd", "/usr/bin/jq"];
    /// <summary>The daemon's socket path: open once the daemon (re)starts, unless a test wants a daemon that never opens it.</summary>
    public string DaemonSocket { get; set; } = "";
    public bool SocketOpen { get; private set; }
    public bool DaemonOpensSocket { get; set; } = true;
    /// <summary>The daemon is gone right after each start (bad configuration).</summary>
    public bool DaemonExitsAtStart { get; set; }
    public string LogTail { get; set; } = "";
    /// <summary>sshd -t refuses the configuration.</summary>
    public bool SshdConfigInvalid { get; set; }

    static readonly string[] MutatingPrograms = ["useradd", "usermod", "ssh-keygen", "tar", "mv", "rm", "apt-get", "sh"];

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

    ShellResult Handle(string[] a)
    {
        switch (a)
        {
            case ["id", "-u", var u]: return If(Users.Contains(u));
            case ["useradd", .., var u]: Users.Add(u); return Ok();
            case ["usermod", "-p", "*", _]: return Ok();
            case ["mkdir", "-p", ..] or ["chmod", "0700", _]: return Ok();
            case ["rm", "-f" or "-rf", .. var paths]:
                foreach (var p in paths) foreach (var f in Under(p)) Files.Remove(f);
                if (paths.Contains(DaemonSocket)) SocketOpen = false;
                return Ok();
            case ["stat", "-c", "%a", var p]:
                return Files.TryGetValue(p, out var file) ? Ok(Convert.ToString((int)file.Mode, 8) + "\n") : Fail("No such file");
            case ["test", "-s", var p]: return If(Files.TryGetValue(p, out var s) && s.Content.Length > 0);
            case ["test", "-e", var p]: return If(Under(p).Any());
            case ["test", "-x", var p]: return If(Programs.Contains(p));
            case ["test", "-S", var p]: return If(p == DaemonSocket && SocketOpen);
            case ["ssh-keygen", .., "-f", var key]:
                Put(key, "generated private key"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Put(key + ".pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGeneratedOnTheNode0000000000000000000000 futuswarm-api\n"u8.ToArray(),
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                return Ok();
            case ["tar", "-xzf", _, "-C", var dir, "--no-same-owner"]:
                Put(dir + "/Futuswarm.Cluster.dll", "dll"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                return Ok();
            case ["mv", var from, var to]:
                foreach (var f in Under(from).ToList())
                {
                    Files[to + f[from.Length..]] = Files[f];
                    Files.Remove(f);
                }
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

    /// <summary>The path itself and anything below it (directories are implied by their files).</summary>
    IEnumerable<string> Under(string path) => Files.Keys.Where(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal)).ToList();

    void Put(string path, byte[] content, UnixFileMode mode) => Files[path] = (content, mode);

    public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
    {
        Put(path, content.ToArray(), mode);
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
