using System.Text;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.Tests;

/// <summary>A pretend Debian manager for the manager steps: users, a file system with modes and directory owners,
/// systemd units that run once restarted (the daemon's socket appears with it), and ensure-database-master answering
/// as the real command does. Every command is recorded; an unknown one fails, so a test sees what it did not expect.</summary>
internal sealed class FakeAwsManagerNode(string name, string machine = "x86_64") : INodeShell
{
    public string Name => name;
    public List<string[]> Commands { get; } = [];
    public Dictionary<string, (byte[] Content, UnixFileMode Mode)> Files { get; } = [];
    public List<string> Writes { get; } = [];
    public HashSet<string> Users { get; } = [];
    /// <summary>Directory -> "uid:gid:mode" as stat prints it.</summary>
    public Dictionary<string, string> Directories { get; } = [];
    public HashSet<string> Enabled { get; } = [];
    public HashSet<string> Active { get; } = [];
    public int DatabaseMasterRuns { get; private set; }
    public string? SocketPath { get; set; }

    public Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        var a = argv.ToArray();
        Commands.Add(a);
        return Task.FromResult(Handle(a));
    }

    static ShellResult Ok(string o = "") => new(0, o, "");
    static ShellResult No(string e = "") => new(1, "", e);

    ShellResult Handle(string[] a)
    {
        switch (a)
        {
            case ["uname", "-m"]: return Ok(machine + "\n");
            case ["id", "-u", var user]: return Users.Contains(user) ? Ok("999\n") : No("no such user");
            case ["useradd", .., var user]: Users.Add(user); return Ok();
            case ["usermod", "-p", "*", _]: return Ok();
            case ["mkdir", "-p", .. var dirs]:
                foreach (var d in dirs) Directories.TryAdd(d, "0:0:755");
                return Ok();
            case ["chmod", "0700", _]: return Ok();
            case ["chmod", "0750", var dir]: Directories[dir] = Directories[dir][..Directories[dir].LastIndexOf(':')] + ":750"; return Ok();
            case ["chown", var owner, var dir]: Directories[dir] = owner + Directories[dir][Directories[dir].LastIndexOf(':')..]; return Ok();
            case ["stat", "-c", "%a", var path]:
                return Files.TryGetValue(path, out var f) ? Ok(Convert.ToString((int)f.Mode, 8) + "\n") : No("No such file");
            case ["stat", "-c", "%u:%g:%a", var dir]: return Directories.TryGetValue(dir, out var s) ? Ok(s + "\n") : No("No such file");
            case ["test", "-s", var path]: return Files.TryGetValue(path, out var g) && g.Content.Length > 0 ? Ok() : No();
            case ["test", "-x", _]: return Ok(); // jq and sshd are installed
            case ["test", "-e", var path]: return Directories.ContainsKey(path) || Files.Keys.Any(k => k.StartsWith(path + "/")) ? Ok() : No();
            case ["test", "-S", var path]: return path == SocketPath && Active.Contains("futuswarm-managerd") ? Ok() : No();
            case ["rm", "-f", .. var files]: foreach (var p in files) Files.Remove(p); return Ok();
            case ["rm", "-rf", .. var trees]:
                foreach (var t in trees) { Directories.Remove(t); foreach (var k in Files.Keys.Where(k => k.StartsWith(t + "/")).ToList()) Files.Remove(k); }
                return Ok();
            case ["tar", "-xzf", _, "-C", var into, "--no-same-owner"]:
                Files[into + "/Futuswarm.Cluster"] = ("apphost"u8.ToArray(), (UnixFileMode)0b111_101_101);
                return Ok();
            case ["mv", var from, var to]:
                foreach (var k in Files.Keys.Where(k => k.StartsWith(from + "/")).ToList()) { Files[to + k[from.Length..]] = Files[k]; Files.Remove(k); }
                if (Directories.Remove(from, out var attributes)) Directories[to] = attributes;
                return Ok();
            case ["systemctl", "daemon-reload"]: return Ok();
            case ["systemctl", "is-enabled", "--quiet", var unit]: return Enabled.Contains(unit) ? Ok() : No();
            case ["systemctl", "enable", "--quiet", var unit]: Enabled.Add(unit); return Ok();
            case ["systemctl", "is-active", "--quiet", var unit]: return Active.Contains(unit) ? Ok() : No();
            case ["systemctl", "restart", var unit]: Active.Add(unit); return Ok();
            case ["/usr/sbin/sshd", "-t", "-f", _]: return Ok();
            case ["sh", "-c", _, "sh", _, .. var command] when command.Contains("ensure-database-master"):
                DatabaseMasterRuns++;
                return Ok(DatabaseMasterRuns == 1
                    ? "database: created role futuswarm_master\ndatabase: futuswarm_master on db:5432 is set up\n"
                    : "database: futuswarm_master on db:5432 was already set up; nothing changed\n");
        }
        return No("unexpected command " + string.Join(' ', a));
    }

    public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
    {
        Files[path] = (content.ToArray(), mode); // a copy: the caller clears a private key's buffer after sending it
        Writes.Add(path);
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) =>
        Task.FromResult(Files.TryGetValue(path, out var f) ? f.Content : null);

    public string Text(string path) => Encoding.UTF8.GetString(Files[path].Content);

    public void Dispose() { }
}
