using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;

namespace Futuswarm.IntegrationTests;

/// <summary>./build.sh LocalCluster on a running cluster: a re-run changes nothing; a taken port is refused before anything starts;
/// the state is in s3rver with the acl.json mirror beside it; state left in the old directory is copied in.</summary>
public sealed class LocalClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rerun_on_a_healthy_cluster_changes_nothing()
    {
        var daemonPid = File.ReadAllText(Path.Combine(TestCluster.Root, "run", "managerd.pid")).Trim();
        var sshdPid = File.ReadAllText(Path.Combine(TestCluster.Root, "run", "sshd.pid")).Trim();
        var result = await BuildScript.RunAsync("LocalCluster");
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("dockerd: running", result.Output);
        Assert.DoesNotContain("started", result.Output);
        Assert.Equal(daemonPid, File.ReadAllText(Path.Combine(TestCluster.Root, "run", "managerd.pid")).Trim());
        Assert.Equal(sshdPid, File.ReadAllText(Path.Combine(TestCluster.Root, "run", "sshd.pid")).Trim());
    }

    [Fact]
    public async Task A_port_taken_by_something_else_is_FSW6001_and_nothing_changes()
    {
        using var squatter = new TcpListener(IPAddress.Any, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var config = File.ReadAllText(Path.Combine(TestCluster.Root, "managerd.json"));

        var result = await BuildScript.RunAsync("LocalCluster", "--edge-port", port.ToString());
        output.WriteLine(result.Output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("FSW6001", result.Output);
        Assert.Contains(port.ToString(), result.Output);
        Assert.Equal(config, File.ReadAllText(Path.Combine(TestCluster.Root, "managerd.json")));
    }

    [Fact]
    public async Task The_state_is_in_s3rver_with_a_root_only_key_file_and_no_credentials_in_managerd_json()
    {
        var config = TestCluster.Daemon;
        Assert.Equal(StoreConfig.S3, config.Store.Kind);
        Assert.Equal("futuswarm-state", config.Store.Bucket);
        Assert.Equal("http://127.0.0.1:4569", config.Store.ServiceUrl);
        Assert.DoesNotContain("S3RVER", File.ReadAllText(Path.Combine(TestCluster.Root, "managerd.json")));
        var s3rver = File.ReadAllText(Path.Combine(TestCluster.Root, "run", "s3rver.pid")).Trim();
        Assert.Contains("s3rver.js", File.ReadAllText($"/proc/{s3rver}/cmdline"));

        Assert.Equal(KeysConfig.Local, config.Keys.Kind);
        Assert.Equal(32, new FileInfo(config.Keys.KeyFile!).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.Keys.KeyFile!));
        Assert.Equal("0:0", await StatAsync("%u:%g", config.Keys.KeyFile!));

        // sshd's AuthorizedKeysCommand reads the mirror: the bucket's acl.json, readable by futuswarm-keys only.
        var mirror = Path.Combine(config.StateDirectory, AclRepository.Key);
        Assert.Equal(await ClusterState.Store.ReadAsync(AclRepository.Key, CancellationToken.None), File.ReadAllBytes(mirror));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(mirror));
        Assert.Equal("root:futuswarm-keys", await StatAsync("%U:%G", mirror));
    }

    /// <summary>An upgraded local cluster (state in the directory) loses nothing: what the bucket lacks is copied in
    /// and the directory's copy moved aside; the acl.json mirror stays.</summary>
    [Fact]
    public async Task State_left_in_the_directory_is_copied_into_the_bucket_and_moved_aside()
    {
        var state = TestCluster.Daemon.StateDirectory;
        // Audit entries: documents the daemon never reads at start (a release would have to be a valid one).
        var id = Guid.NewGuid().ToString("N");
        string[] keys = [$"audit/1999-01-01/{id}.json", $"audit/1999-01-02/{id}.json"];
        foreach (var key in keys)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(state, key))!);
            File.WriteAllText(Path.Combine(state, key), $"{{\"key\":\"{key}\"}}");
        }
        var backupsBefore = Backups();
        try
        {
            var result = await BuildScript.RunAsync("LocalCluster");
            output.WriteLine(result.Output);
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("state: copied 2 keys", result.Output);
            foreach (var key in keys) Assert.Equal($"{{\"key\":\"{key}\"}}", await ClusterState.ReadTextAsync(key));
            Assert.Equal([AclRepository.Key], Directory.EnumerateFileSystemEntries(state).Select(Path.GetFileName));
            var backup = Assert.Single(Backups().Except(backupsBefore));
            Assert.True(File.Exists(Path.Combine(backup, keys[0])));

            var again = await BuildScript.RunAsync("LocalCluster"); // once: nothing left to copy
            Assert.DoesNotContain("state: copied", again.Output);
            Assert.DoesNotContain("managerd: started the manager daemon", again.Output);
        }
        finally
        {
            foreach (var key in keys) await ClusterState.Store.DeleteAsync(key, CancellationToken.None);
            foreach (var dir in Backups().Except(backupsBefore)) Directory.Delete(dir, recursive: true);
        }
    }

    private static List<string> Backups() =>
        Directory.EnumerateDirectories(TestCluster.Root, "state.before-s3*").ToList();

    private static async Task<string> StatAsync(string format, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return text.Trim();
    }
}
