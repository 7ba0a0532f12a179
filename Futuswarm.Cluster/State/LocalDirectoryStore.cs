using Futuswarm.Protocol;

namespace Futuswarm.Cluster.State;

/// <summary>The local cluster's store: one file per key under a root-owned directory, written atomically.</summary>
public sealed class LocalDirectoryStore : IStateStore
{
    private readonly string _root;
    private readonly IReadOnlyDictionary<string, int> _groupReadable;

    /// <param name="groupReadable">Keys that one other group may read (acl.json for the authorized-keys user).</param>
    public LocalDirectoryStore(string root, IReadOnlyDictionary<string, int>? groupReadable = null)
    {
        _root = Path.GetFullPath(root);
        _groupReadable = groupReadable ?? new Dictionary<string, int>();
        Directory.CreateDirectory(_root);
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try { return await File.ReadAllBytesAsync(path, ct); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public async Task WriteAsync(string key, byte[] data, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var fs = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                await fs.WriteAsync(data, ct);
                await fs.FlushAsync(ct);
                fs.Flush(flushToDisk: true);
            }
            if (_groupReadable.TryGetValue(key, out var gid))
            {
                Native.Chown(temp, 0, gid);
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new FswException(ErrorCodes.StoreFailed, $"Could not write '{key}' to the state directory {_root}: {e.Message}");
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct)
    {
        var dir = prefix.Length == 0 ? _root : PathOf(prefix.TrimEnd('/')); // "": every key
        if (!Directory.Exists(dir)) return Task.FromResult<IReadOnlyList<string>>([]);
        var keys = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains(".tmp-", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        // File.Delete ignores a missing file but not a missing directory; both mean "already gone".
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FswException(ErrorCodes.StoreFailed, $"Could not delete '{key}' from the state directory {_root}: {e.Message}");
        }
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        if (key.Length == 0 || key.StartsWith('/') || key.Split('/').Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"Invalid store key '{key}'.", nameof(key));
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
