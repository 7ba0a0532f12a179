extern alias tasks;

using tasks::Futuswarm.Tasks.ContentKeys;

namespace Futuswarm.Tests;

public sealed class ContentKeyTests : IDisposable
{
    private const string Base = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private static readonly string[] Settings = ["registry=localhost:5000/hello-swarm", "base=localhost:5000/aspnet:10.0", "port:8080=tcp"];

    private readonly TempDirectory _dir = new();

    public ContentKeyTests()
    {
        _dir.File("HelloSwarm.dll", "pretend IL");
        _dir.File("appsettings.json", """{"Logging":{}}""");
        _dir.File("wwwroot/css/site.css", "body{}");
        _dir.File("futuswarm-probe.dll", "probe");
    }

    public void Dispose() => _dir.Dispose();

    private string Key(string? baseDigest = null, IEnumerable<string>? settings = null) =>
        ContentKeyCalculator.Compute(_dir.Path, baseDigest ?? Base, settings ?? Settings);

    [Fact]
    public void SameDirectoryTwiceSameKey()
    {
        var key = Key();
        Assert.Equal(key, Key());
        Assert.Matches("^sha256:[0-9a-f]{64}$", key);
    }

    [Fact]
    public void SameContentElsewhereSameKey()
    {
        using var copy = new TempDirectory();
        foreach (var f in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
            copy.File(Path.GetRelativePath(_dir.Path, f), File.ReadAllText(f));
        Assert.Equal(Key(), ContentKeyCalculator.Compute(copy.Path, Base, Settings));
    }

    [Fact]
    public void TrailingSeparatorDoesNotMatter() =>
        Assert.Equal(Key(), ContentKeyCalculator.Compute(_dir.Path + Path.DirectorySeparatorChar, Base, Settings));

    [Fact]
    public void ChangedByteChangesTheKey()
    {
        var before = Key();
        var path = Path.Combine(_dir.Path, "wwwroot", "css", "site.css");
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.NotEqual(before, Key());
    }

    [Fact]
    public void RenamedFileChangesTheKey()
    {
        var before = Key();
        File.Move(Path.Combine(_dir.Path, "appsettings.json"), Path.Combine(_dir.Path, "appsettings.Production.json"));
        Assert.NotEqual(before, Key());
    }

    [Fact]
    public void MovedToAnotherFolderChangesTheKey()
    {
        var before = Key();
        File.Move(Path.Combine(_dir.Path, "wwwroot", "css", "site.css"), Path.Combine(_dir.Path, "wwwroot", "site.css"));
        Assert.NotEqual(before, Key());
    }

    [Fact]
    public void AddedFileChangesTheKey()
    {
        var before = Key();
        _dir.File("new.txt", "");
        Assert.NotEqual(before, Key());
    }

    [Fact]
    public void RemovedFileChangesTheKey()
    {
        var before = Key();
        File.Delete(Path.Combine(_dir.Path, "futuswarm-probe.dll"));
        Assert.NotEqual(before, Key());
    }

    [Fact]
    public void SwappedContentsChangeTheKey()
    {
        using var a = new TempDirectory();
        a.File("x", "1");
        a.File("y", "2");
        using var b = new TempDirectory();
        b.File("x", "2");
        b.File("y", "1");
        Assert.NotEqual(ContentKeyCalculator.Compute(a.Path, Base, Settings), ContentKeyCalculator.Compute(b.Path, Base, Settings));
    }

    [Fact]
    public void DifferentBaseDigestChangesTheKey() =>
        Assert.NotEqual(Key(), Key(baseDigest: "sha256:2222222222222222222222222222222222222222222222222222222222222222"));

    [Fact]
    public void DifferentContainerSettingChangesTheKey()
    {
        Assert.NotEqual(Key(), Key(settings: ["registry=localhost:5000/hello-swarm", "base=localhost:5000/aspnet:10.0", "port:8081=tcp"]));
        Assert.NotEqual(Key(), Key(settings: [.. Settings, "user=app"]));
        Assert.NotEqual(Key(), Key(settings: []));
    }

    [Fact]
    public void SettingBoundariesMatter() =>
        Assert.NotEqual(Key(settings: ["ab", "c"]), Key(settings: ["a", "bc"]));

    [Fact]
    public void TimestampsAloneDoNotChangeTheKey()
    {
        var before = Key();
        foreach (var f in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
            File.SetLastAccessTimeUtc(f, new DateTime(2002, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }
        Assert.Equal(before, Key());
    }

    [Fact]
    public void RewritingTheSameBytesDoesNotChangeTheKey()
    {
        var before = Key();
        var path = Path.Combine(_dir.Path, "HelloSwarm.dll");
        File.WriteAllBytes(path, File.ReadAllBytes(path));
        Assert.Equal(before, Key());
    }
}
