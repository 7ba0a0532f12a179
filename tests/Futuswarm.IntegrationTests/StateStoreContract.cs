using System.Text;
using Futuswarm.Cluster.State;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// What every <see cref="IStateStore"/> must do, run against each store by a subclass: the daemon's code is
/// written against the interface, so a store that differs here would break it on one kind of cluster only.
/// </summary>
public abstract class StateStoreContract
{
    /// <summary>A store that is empty and used by this test alone.</summary>
    protected abstract IStateStore Store { get; }

    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Every_byte_value_round_trips()
    {
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 256).Select(i => (byte)(255 - i))).ToArray();
        await Store.WriteAsync("bin/all-bytes", data, Ct);
        Assert.Equal(data, await Store.ReadAsync("bin/all-bytes", Ct));
    }

    [Fact]
    public async Task Empty_and_large_values_round_trip()
    {
        var large = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(large);
        await Store.WriteAsync("empty.json", [], Ct);
        await Store.WriteAsync("large.bin", large, Ct);
        Assert.Equal(0, (await Store.ReadAsync("empty.json", Ct))?.Length);
        Assert.Equal(large, await Store.ReadAsync("large.bin", Ct));
    }

    [Fact]
    public async Task A_write_replaces_the_whole_value()
    {
        await Store.WriteAsync("services/a/releases/000001.json", Encoding.UTF8.GetBytes("{\"state\":\"pending\",\"long\":true}"), Ct);
        await Store.WriteAsync("services/a/releases/000001.json", Encoding.UTF8.GetBytes("{\"state\":\"done\"}"), Ct);
        Assert.Equal("{\"state\":\"done\"}", Encoding.UTF8.GetString((await Store.ReadAsync("services/a/releases/000001.json", Ct))!));
        Assert.Equal(["services/a/releases/000001.json"], await Store.ListAsync("services/", Ct));
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        Assert.Null(await Store.ReadAsync("acl.json", Ct));
        Assert.Null(await Store.ReadAsync("no/such/dir/key.json", Ct));
    }

    [Fact]
    public async Task List_is_recursive_ordinal_and_relative_to_the_store()
    {
        string[] keys = ["services/web/releases/000002.json", "services/web-b/releases/000001.json", "services/web/secrets/Db__Password/01J.json",
            "services/Web/releases/000001.json", "services/web/releases/000001.json", "services/web.x/a.json", "acl.json"];
        foreach (var key in keys) await Store.WriteAsync(key, [1], Ct);

        var expected = keys.Where(k => k.StartsWith("services/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await Store.ListAsync("services/", Ct));
        Assert.Equal(expected, await Store.ListAsync("services", Ct)); // the same: a prefix is a folder
        Assert.Equal(["services/web/releases/000001.json", "services/web/releases/000002.json"], await Store.ListAsync("services/web/releases/", Ct));
        Assert.Equal(keys.Order(StringComparer.Ordinal).ToList(), await Store.ListAsync("", Ct));
    }

    [Fact]
    public async Task A_prefix_lists_its_folder_only()
    {
        await Store.WriteAsync("a/one.json", [1], Ct);
        await Store.WriteAsync("ab/two.json", [2], Ct);
        await Store.WriteAsync("a.json", [3], Ct);
        Assert.Equal(["a/one.json"], await Store.ListAsync("a/", Ct));
        Assert.Equal(["a/one.json"], await Store.ListAsync("a", Ct));
        Assert.Empty(await Store.ListAsync("nothing/", Ct));
        Assert.Empty(await Store.ListAsync("a/one.json/", Ct));
    }

    /// <summary>Past S3's page of 1000, with names whose folder walk order differs from key order (web/ vs web-b/).</summary>
    [Fact]
    public async Task List_returns_every_key_past_one_page()
    {
        var keys = Enumerable.Range(0, 1150).Select(i => (i % 3) switch
        {
            0 => $"services/web/releases/{i:D6}.json",
            1 => $"services/web-b/releases/{i:D6}.json",
            _ => $"services/w{i % 7}/audit-{i}.json",
        }).ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (key, ct) => await Store.WriteAsync(key, Encoding.UTF8.GetBytes(key), ct));

        var listed = await Store.ListAsync("services/", Ct);
        Assert.Equal(keys.Order(StringComparer.Ordinal).ToList(), listed);
    }

    [Fact]
    public async Task Delete_removes_and_is_idempotent()
    {
        await Store.WriteAsync("services/a/secrets/K/1.json", [1], Ct);
        await Store.DeleteAsync("services/a/secrets/K/1.json", Ct);
        Assert.Null(await Store.ReadAsync("services/a/secrets/K/1.json", Ct));
        Assert.Empty(await Store.ListAsync("services/", Ct));
        await Store.DeleteAsync("services/a/secrets/K/1.json", Ct);
        await Store.DeleteAsync("never/written/at/all.json", Ct);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/acl.json")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("../outside")]
    [InlineData("a/./b")]
    [InlineData("a/../b")]
    public async Task Invalid_keys_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(key, [1], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key, Ct));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("../")]
    [InlineData("a/../b/")]
    public async Task Invalid_prefixes_are_refused(string prefix) =>
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(prefix, Ct));
}
