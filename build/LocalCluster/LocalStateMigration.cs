using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.State;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// Once, when a local cluster moves from the state directory to s3rver: each key of the directory that the bucket
/// lacks is copied into it (the bucket's own keys win), the bucket is checked to hold them all, then the
/// directory's copy is moved to &lt;root&gt;/state.before-s3, leaving the state directory to the acl.json mirror.
/// Copying only what is missing makes an interrupted run finish on the next. The daemon is stopped first, so
/// nothing writes to the directory during the copy.
/// </summary>
static class LocalStateMigration
{
    public static async Task RunAsync(ManagerLayout layout, IStateStore bucket, ILog log, CancellationToken ct)
    {
        if (!Directory.Exists(layout.State)) return;
        var directory = new LocalDirectoryStore(layout.State);
        var keys = await directory.ListAsync("", ct);
        var inBucket = (await bucket.ListAsync("", ct)).ToHashSet(StringComparer.Ordinal);
        if (keys.All(k => k == AclRepository.Key && inBucket.Contains(k)))
        {
            log.Detail("state: in the bucket; the state directory holds only the acl.json mirror");
            return;
        }

        await ManagerDaemonProcess.StopAsync(layout, log);
        keys = await directory.ListAsync("", ct); // again, now that the daemon cannot add any
        var missing = keys.Where(k => !inBucket.Contains(k)).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (key, c) => await bucket.WriteAsync(key, await directory.ReadAsync(key, c) ?? [], c));
        var lost = keys.Except(await bucket.ListAsync("", ct), StringComparer.Ordinal).ToList();
        if (lost.Count > 0)
            throw new BuildFailure($"FSW5001: after copying {layout.State} into s3://{S3rver.Bucket}, {lost.Count} keys are not there " +
                $"(e.g. {lost[0]}); the directory is kept as it is. Run LocalCluster again.");
        log.Info($"state: copied {missing.Count} keys from {layout.State} into s3://{S3rver.Bucket}" +
            (keys.Count > missing.Count ? $"; kept the {keys.Count - missing.Count} the bucket already had" : ""));
        if (keys.Any(k => k != AclRepository.Key)) MoveAside(layout, log);
    }

    /// <summary>Everything but acl.json (the mirror, rewritten from the bucket) goes; acl.json is copied along.</summary>
    static void MoveAside(ManagerLayout layout, ILog log)
    {
        var target = Directory.Exists(layout.StateBeforeS3) ? $"{layout.StateBeforeS3}-{DateTime.UtcNow:yyyyMMddHHmmss}" : layout.StateBeforeS3;
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var entry in Directory.EnumerateFileSystemEntries(layout.State).ToList())
        {
            var to = Path.Combine(target, Path.GetFileName(entry));
            if (Path.GetFileName(entry) == AclRepository.Key) File.Copy(entry, to);
            else if (Directory.Exists(entry)) Directory.Move(entry, to);
            else File.Move(entry, to);
        }
        log.Info($"state: the directory's own copy is kept in {target}");
    }
}
