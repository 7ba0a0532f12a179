using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Shared by the base and edge images: skip when the registry already has the tags with the same
/// input fingerprint; otherwise tar, docker import, verify by running it (network none: no bridge needed), push.</summary>
static class ImagePublisher
{
    public const string InputLabel = "org.futuswarm.input";

    /// <param name="Verify">docker run options, image, then the command: the image goes where "{image}" is.</param>
    public sealed record Recipe(string Repository, IReadOnlyList<string> Tags, Rootfs Fs, IReadOnlyList<string> Changes,
        string[] Verify, string VerifyExpect)
    {
        /// <summary>Runs only when the image has to be built (e.g. validating a config on the host).</summary>
        public Func<Task>? BeforeBuild { get; init; }
    }

    /// <summary>Returns the first tag's full reference, e.g. localhost:5000/futuswarm/aspnet:10.0.</summary>
    public static async Task<string> EnsureAsync(Docker docker, LocalClusterSettings s, Recipe r, ILog log, CancellationToken ct)
    {
        var fingerprint = r.Fs.Fingerprint(r.Changes);
        var refs = r.Tags.Select(t => $"{LocalRegistry.Address}/{r.Repository}:{t}").ToList();
        var present = true;
        foreach (var tag in r.Tags)
            present &= (await RegistryClient.LabelsAsync(r.Repository, tag, ct))?.GetValueOrDefault(InputLabel) == fingerprint;
        if (present)
        {
            log.Info($"image {refs[0]}: in the registry (input {fingerprint}), skip");
            return refs[0];
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (r.BeforeBuild is not null) await r.BeforeBuild();
        var work = Path.Combine(s.Root, "images");
        Directory.CreateDirectory(work);
        var tar = Path.Combine(work, r.Repository.Replace('/', '-') + ".tar");
        try
        {
            await r.Fs.WriteTarAsync(tar, ct);
            var changes = r.Changes.Append($"LABEL {InputLabel}={fingerprint}").SelectMany(c => new[] { "--change", c });
            await docker.RunAsync(["import", .. changes, tar, refs[0]], ct);
        }
        finally { File.Delete(tar); }
        foreach (var extra in refs.Skip(1)) await docker.RunAsync(["tag", refs[0], extra], ct);

        var verify = r.Verify.Select(a => a == "{image}" ? refs[0] : a).ToArray();
        var run = await docker.RunAsync(["run", "--rm", "--network", "none", .. verify], ct, check: false, timeout: TimeSpan.FromSeconds(60));
        if (!run.Ok || !(run.StdOut + run.StdErr).Contains(r.VerifyExpect, StringComparison.Ordinal))
            throw new BuildFailure($"FSW6006: the new image {refs[0]} failed its check (docker run {string.Join(' ', verify)} " +
                $"exited {run.ExitCode}, expected output containing '{r.VerifyExpect}'):\n  {(run.StdErr + run.StdOut).Trim()}");

        foreach (var reference in refs) await docker.RunAsync(["push", reference], ct);
        log.Info($"image {refs[0]}: built ({r.Fs.Count} entries, input {fingerprint}), checked and pushed as {string.Join(", ", r.Tags)} in {clock.Elapsed.TotalSeconds:0.0} s");
        return refs[0];
    }
}
