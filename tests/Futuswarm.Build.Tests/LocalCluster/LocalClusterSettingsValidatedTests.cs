namespace Futuswarm.Build.Tests.LocalCluster;

public class LocalClusterSettingsValidatedTests
{
    [Fact]
    public void The_defaults_are_valid_and_unchanged()
    {
        var s = new LocalClusterSettings().Validated();

        Assert.Equal("/var/lib/futuswarm/local", s.Root);
        Assert.Equal(8080, s.EdgePort);
        Assert.Null(s.Engine);
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("./local")]
    [InlineData("~/futuswarm")]
    [InlineData("")]
    public void A_relative_dir_is_a_usage_error(string dir)
    {
        var e = Assert.Throws<UsageException>(() => new LocalClusterSettings { Root = dir }.Validated());

        Assert.Equal($"FSW6009: --dir must be an absolute path, not '{dir}'.", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(70000)]
    public void An_edge_port_outside_1_to_65535_is_a_usage_error(int port)
    {
        var e = Assert.Throws<UsageException>(() => new LocalClusterSettings { EdgePort = port }.Validated());

        Assert.Equal($"FSW6009: --edge-port must be 1-65535, not {port}.", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void The_edge_port_bounds_are_valid(int port) =>
        Assert.Equal(port, new LocalClusterSettings { EdgePort = port }.Validated().EdgePort);

    [Fact]
    public void A_trailing_slash_on_the_dir_is_dropped_and_derived_paths_follow_it()
    {
        var s = new LocalClusterSettings { Root = "/tmp/fsw-local/" }.Validated();

        Assert.Equal("/tmp/fsw-local", s.Root);
        Assert.Equal("/tmp/fsw-local/run/started.json", s.StateFile);
        Assert.Equal("/tmp/fsw-local/docker.sock", s.OwnDockerSocket);
    }

    [Theory]
    [InlineData("unix:///run/docker.sock", "/run/docker.sock")]
    [InlineData("/run/docker.sock", "/run/docker.sock")]
    public void An_engine_socket_may_be_given_as_a_unix_url(string engine, string expected) =>
        Assert.Equal(expected, new LocalClusterSettings { Engine = engine }.Validated().Engine);

    [Theory]
    [InlineData("docker.sock")]
    [InlineData("unix://docker.sock")]
    public void A_relative_engine_socket_is_a_usage_error(string engine)
    {
        var e = Assert.Throws<UsageException>(() => new LocalClusterSettings { Engine = engine }.Validated());

        Assert.StartsWith("FSW6009: --engine must be the absolute path of a Docker socket", e.Message);
    }

    [Fact]
    public void Validated_does_not_touch_the_disk()
    {
        var root = Path.Combine(Path.GetTempPath(), "fsw-never-created-" + Guid.NewGuid().ToString("N"));

        new LocalClusterSettings { Root = root }.Validated();

        Assert.False(Directory.Exists(root));
    }
}
