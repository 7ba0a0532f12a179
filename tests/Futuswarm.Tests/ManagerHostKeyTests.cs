using System.Security.Cryptography;
using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>The cluster's API host key from the store: opened only when the node lacks it, written 0600, never logged.</summary>
public class ManagerHostKeyTests
{
    readonly List<string> _log = [];
    // Made at run time: random key material, so no key-shaped text sits in the repository.
    readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    const string PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIClusterKey000000000000000000000000000000000";
    int _opened;

    ApiHostKeySource Source() => new(PublicKey + " futuswarm-api", _ =>
    {
        _opened++;
        return Task.FromResult(Encoding.ASCII.GetBytes("private:" + _secret + "\n"));
    });

    Task<StepResult> RunStepAsync(FakeManagerNode node) =>
        ManagerTestSpecs.RunStepAsync(node, ManagerTestSpecs.Node(ManagerTestSpecs.Services() with { HostKey = Source() }), _log, new ApiHostKeyStep());

    FakeManagerNode NodeWith(string? publicKey, bool hasPrivate)
    {
        var node = ManagerTestSpecs.FakeNode(ManagerTestSpecs.Services());
        var paths = new ManagerPaths(ManagerTestSpecs.Root);
        if (publicKey is not null) node.Files[paths.HostKeyPublic] = (Encoding.ASCII.GetBytes(publicKey + "\n"), (UnixFileMode)0b110_100_100);
        if (hasPrivate) node.Files[paths.HostKey] = ("old private"u8.ToArray(), (UnixFileMode)0b110_000_000);
        return node;
    }

    [Fact]
    public async Task TheSameKeyOnTheNodeIsNotOpened()
    {
        var node = NodeWith(PublicKey + " another-comment", hasPrivate: true); // the comment may differ
        var r = await RunStepAsync(node);
        Assert.False(r.Changed);
        Assert.Equal(0, _opened);
        Assert.Empty(node.Writes);
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKey0000000000000000000000000000000000 x", true, "replaced a different API host key")]
    [InlineData(null, false, "installed the cluster's API host key")]
    [InlineData(PublicKey, false, "installed")] // a public half without its private half is no key
    public async Task AnotherOrMissingKeyIsReplacedWithAPrivateFile(string? onNode, bool hasPrivate, string detail)
    {
        var node = NodeWith(onNode, hasPrivate);
        var r = await RunStepAsync(node);
        Assert.True(r.Changed);
        Assert.Contains(detail, r.Detail);
        Assert.Equal(1, _opened);
        var paths = new ManagerPaths(ManagerTestSpecs.Root);
        var (content, mode) = node.Files[paths.HostKey];
        Assert.Equal("private:" + _secret + "\n", Encoding.ASCII.GetString(content));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(PublicKey + " futuswarm-api\n", node.Text(paths.HostKeyPublic));

        // The private half is in the file only: no log line, no detail, no command argument.
        Assert.NotEmpty(_log);
        Assert.DoesNotContain(_log, l => l.Contains(_secret));
        Assert.DoesNotContain(_secret, r.Detail);
        Assert.DoesNotContain(node.Commands, c => c.Any(a => a.Contains(_secret)));
    }

    [Fact]
    public async Task WithoutASourceAKeyIsGeneratedOnceOnTheNode()
    {
        var node = ManagerTestSpecs.FakeNode(ManagerTestSpecs.Services());
        var spec = ManagerTestSpecs.Node(ManagerTestSpecs.Services());
        Assert.True((await ManagerTestSpecs.RunStepAsync(node, spec, _log, new ApiHostKeyStep())).Changed);
        Assert.Single(node.Commands, c => c[0] == "ssh-keygen");
        Assert.False((await ManagerTestSpecs.RunStepAsync(node, spec, _log, new ApiHostKeyStep())).Changed);
        Assert.Single(node.Commands, c => c[0] == "ssh-keygen");
    }
}
