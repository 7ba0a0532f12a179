using System.Diagnostics;
using System.Text;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The local acl.json mirror that sshd's AuthorizedKeysCommand reads when the state is in S3.</summary>
public sealed class LocalMirrorStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempDirectory _dir = new();
    private readonly MemoryStore _remote = new();
    // A group other than root's where there is one, so the file's group is seen to be set.
    private readonly int _gid = Native.GroupId("nogroup") ?? 0;
    private readonly LocalMirrorStore _store;

    public LocalMirrorStoreTests() => _store = new LocalMirrorStore(_remote, _dir.Path, new Dictionary<string, int> { [AclRepository.Key] = _gid });

    private string MirrorFile => Path.Combine(_dir.Path, AclRepository.Key);

    [Fact]
    public async Task An_acl_save_writes_the_store_and_a_group_readable_mirror()
    {
        var repo = new AclRepository(_store);
        await repo.SaveAsync(new AclDocument { Users = [new AclUser { Name = "admin", Admin = true, Keys = ["ssh-ed25519 AAAA admin"] }] }, Ct);

        Assert.Equal(_remote.Data[AclRepository.Key], File.ReadAllBytes(MirrorFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(MirrorFile));
        Assert.Equal(_gid.ToString(), Stat("%g", MirrorFile));
        Assert.Empty(Directory.GetFiles(_dir.Path).Where(f => f != MirrorFile)); // no temp file left
    }

    [Fact]
    public async Task Other_keys_stay_in_the_store_only_and_reads_come_from_the_store()
    {
        await _store.WriteAsync("services/a/releases/000001.json", [1], Ct);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "services")));

        await File.WriteAllTextAsync(MirrorFile, "stale", Ct);
        _remote.Data[AclRepository.Key] = "fresh"u8.ToArray();
        Assert.Equal("fresh", Encoding.UTF8.GetString((await _store.ReadAsync(AclRepository.Key, Ct))!));
        Assert.Equal([AclRepository.Key, "services/a/releases/000001.json"], await _store.ListAsync("", Ct));
    }

    [Fact]
    public async Task Refresh_makes_the_mirror_what_the_store_holds()
    {
        await File.WriteAllTextAsync(MirrorFile, "stale", Ct);
        _remote.Data[AclRepository.Key] = "{\"users\":[]}"u8.ToArray();
        await _store.RefreshAsync(Ct);
        Assert.Equal("{\"users\":[]}", await File.ReadAllTextAsync(MirrorFile, Ct));

        // No acl.json in the store: no keys may be admitted from a leftover file.
        _remote.Data.Clear();
        await _store.RefreshAsync(Ct);
        Assert.False(File.Exists(MirrorFile));
    }

    [Fact]
    public async Task A_failed_store_write_leaves_the_mirror_as_it_was()
    {
        await _store.WriteAsync(AclRepository.Key, "v1"u8.ToArray(), Ct);
        _remote.Fail = true;
        await Assert.ThrowsAsync<FswException>(() => _store.WriteAsync(AclRepository.Key, "v2"u8.ToArray(), Ct));
        Assert.Equal("v1", await File.ReadAllTextAsync(MirrorFile, Ct));
    }

    [Fact]
    public async Task Delete_removes_both()
    {
        await _store.WriteAsync(AclRepository.Key, "v1"u8.ToArray(), Ct);
        await _store.DeleteAsync(AclRepository.Key, Ct);
        Assert.Empty(_remote.Data);
        Assert.False(File.Exists(MirrorFile));
    }

    private static string Stat(string format, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A remote store in memory, which can be told to fail.</summary>
    private sealed class MemoryStore : IStateStore
    {
        public SortedDictionary<string, byte[]> Data { get; } = new(StringComparer.Ordinal);
        public bool Fail { get; set; }

        public Task<byte[]?> ReadAsync(string key, CancellationToken ct) => Task.FromResult(Data.GetValueOrDefault(key));

        public Task WriteAsync(string key, byte[] data, CancellationToken ct)
        {
            if (Fail) throw new FswException(ErrorCodes.StoreFailed, "the store is down");
            Data[key] = data;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>(Data.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList());

        public Task DeleteAsync(string key, CancellationToken ct)
        {
            Data.Remove(key);
            return Task.CompletedTask;
        }
    }
}
