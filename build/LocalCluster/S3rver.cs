using System.Net.Sockets;
using Amazon.Runtime;
using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Config;
using Futuswarm.Protocol;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// The local cluster's state store: s3rver on 127.0.0.1:4569, its data under &lt;root&gt;/s3rver/data, the bucket
/// futuswarm-state made at its start. Reused when ours (run/s3rver.pid) runs with the same command line.
/// </summary>
static class S3rver
{
    public const int Port = 4569;
    public const string Bucket = "futuswarm-state";
    public const string Node = "/usr/bin/node";
    /// <summary>s3rver's fixed credentials, not secrets: the daemon gets them in its environment, never in managerd.json.</summary>
    public const string AccessKey = "S3RVER";

    public static string Dir(LocalClusterSettings s) => Path.Combine(s.Root, "s3rver");
    public static string Data(LocalClusterSettings s) => Path.Combine(Dir(s), "data");
    static string Preload(LocalClusterSettings s) => Path.Combine(Dir(s), "ordered-listing.js");
    static string PidFile(LocalClusterSettings s) => Path.Combine(s.RunDir, "s3rver.pid");
    static string LogFile(LocalClusterSettings s) => Path.Combine(s.LogDir, "s3rver.log");

    public static StoreConfig StoreConfig => new()
    {
        Kind = StoreConfig.S3, Bucket = Bucket, ServiceUrl = $"http://127.0.0.1:{Port}", ForcePathStyle = true, Region = "us-east-1",
    };

    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKey, AccessKey);

    public static IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey, ["AWS_SECRET_ACCESS_KEY"] = AccessKey,
    };

    public static async Task EnsureAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        // Root only: s3rver keeps every object as a plain file, and the state is root-only as in the directory store.
        Directory.CreateDirectory(Dir(s));
        File.SetUnixFileMode(Dir(s), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var installed = await S3rverInstall.EnsureAsync(s, log, ct);
        var preloadChanged = WritePreload(s);
        Directory.CreateDirectory(Data(s));
        await RootOnlyPort.EnsureAsync(Port, log, ct);
        string[] args =
        [
            // Its continuation tokens are DES-encrypted, which Node 20's OpenSSL 3 refuses without this:
            // every truncated listing (more than 1000 keys) would fail with HTTP 500.
            "--openssl-legacy-provider",
            "-r", Preload(s),
            S3rverInstall.Script(s), "-d", Data(s), "-a", "127.0.0.1", "-p", Port.ToString(), "--silent",
            "--configure-bucket", Bucket,
        ];
        if (RunningPid(s) is { } pid)
        {
            if (!installed && !preloadChanged && ProcNet.CommandLine(pid) == string.Join(' ', [Node, .. args]))
            {
                await WaitUntilAnswersAsync(s, TimeSpan.FromSeconds(15), ct);
                log.Info($"s3rver: running (pid {pid}), skip");
                return;
            }
            await Proc.StopAsync(pid, TimeSpan.FromSeconds(10), log);
            log.Info($"s3rver: stopped pid {pid} to restart it with the new installation or arguments");
        }
        var started = await Proc.StartDetachedAsync(Node, args, LogFile(s), PidFile(s), log: log, ct: ct);
        await WaitUntilAnswersAsync(s, TimeSpan.FromSeconds(15), ct);
        log.Info($"s3rver: started (pid {started}) on 127.0.0.1:{Port}, bucket {Bucket}");
    }

    public static int? RunningPid(LocalClusterSettings s) =>
        Proc.TryReadPid(PidFile(s)) is { } p && Proc.IsAlive(p, Node) ? p : null;

    public static async Task StopAsync(LocalClusterSettings s, ILog log)
    {
        if (RunningPid(s) is { } pid && await Proc.StopAsync(pid, TimeSpan.FromSeconds(10), log))
            log.Info($"s3rver: stopped (pid {pid})");
        else log.Info("s3rver: not running, skip");
        if (File.Exists(PidFile(s))) File.Delete(PidFile(s));
        await RootOnlyPort.RemoveAsync(Port, log);
    }

    static bool WritePreload(LocalClusterSettings s)
    {
        var source = File.ReadAllText(Path.Combine(BuildBase.RootDirectory, "build", "LocalCluster", "s3rver-ordered-listing.js"));
        if (File.Exists(Preload(s)) && File.ReadAllText(Preload(s)) == source) return false;
        File.WriteAllText(Preload(s), source);
        return true;
    }

    /// <summary>Up = the port accepts, then one signed request finds the bucket (a missing key, not a missing bucket).</summary>
    static async Task WaitUntilAnswersAsync(LocalClusterSettings s, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await AcceptsAsync(ct))
        {
            if (DateTime.UtcNow > deadline || RunningPid(s) is null)
                throw new BuildFailure($"FSW6005: s3rver did not answer on 127.0.0.1:{Port} within {limit.TotalSeconds:0} s; " +
                    $"see {LogFile(s)}.{Proc.LogTail(LogFile(s))}");
            await Task.Delay(50, ct);
        }
        try { await StateFactory.CreateS3Store(StoreConfig, Credentials).ReadAsync("futuswarm-probe", ct); }
        catch (FswException e)
        {
            throw new BuildFailure($"FSW6005: s3rver answers but not as the state store: {e.Message} See {LogFile(s)}.");
        }
    }

    static async Task<bool> AcceptsAsync(CancellationToken ct)
    {
        using var client = new TcpClient();
        try { await client.ConnectAsync("127.0.0.1", Port, ct); return true; }
        catch (SocketException) { return false; }
    }
}
