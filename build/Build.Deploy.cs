using System.Diagnostics;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build;

/// <summary>Pack, Demo and Test: the SDK packed with a unique version, the sample deployed, the suites run.</summary>
partial class Build
{
    static string Packages => Path.Combine(RootDirectory, "artifacts", "packages");
    static string SamplesGlobalJson => Path.Combine(RootDirectory, "samples", "global.json");

    Target Pack => _ => _
        .Describe("Packs Futuswarm.Sdk with a unique prerelease version into artifacts/packages and points samples/ at it.")
        .Executes(async ct =>
        {
            // NuGet's SDK resolver reuses a same-version package from the global folder: every new pack is a new
            // version. Unchanged sources keep the last pack, so a warm Demo or Test does not pack again.
            var source = SourceFingerprint.Of(new[] { "Futuswarm.Sdk", "Futuswarm.Tasks", "Futuswarm.Cluster/Protocol" }.Select(d => Path.Combine(RootDirectory, d)), SourceFingerprint.RepoWideFiles);
            var stamp = Path.Combine(Packages, "source-fingerprint.txt");
            var versionFile = Path.Combine(Packages, "version.txt");
            if (File.Exists(stamp) && File.ReadAllText(stamp) == source && File.Exists(versionFile) && File.Exists(SamplesGlobalJson)
                && File.Exists(Path.Combine(Packages, $"Futuswarm.Sdk.{File.ReadAllText(versionFile).Trim()}.nupkg")))
            {
                Log.Info($"Futuswarm.Sdk {File.ReadAllText(versionFile).Trim()} is up to date, skip");
                return;
            }
            var version = $"0.1.0-local.{DateTime.UtcNow:yyyyMMddHHmmss}";
            Directory.CreateDirectory(Packages);
            foreach (var old in Directory.EnumerateFiles(Packages, "Futuswarm.Sdk.*.nupkg")) File.Delete(old);
            await Proc.RunAsync(Dotnet, ["pack", Path.Combine(RootDirectory, "Futuswarm.Sdk", "Futuswarm.Sdk.csproj"), "-c", "Release", "-o", Packages,
                $"-p:FutuswarmVersion={version}", "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
                new ProcOptions { Log = Log, Timeout = TimeSpan.FromMinutes(5) }, ct);
            await File.WriteAllTextAsync(SamplesGlobalJson,
                $"{{\n  \"sdk\": {{ \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" }},\n  \"msbuild-sdks\": {{ \"Futuswarm.Sdk\": \"{version}\" }}\n}}\n", ct);
            await File.WriteAllTextAsync(versionFile, version + "\n", ct);
            await File.WriteAllTextAsync(stamp, source, ct);
            Log.Info($"packed Futuswarm.Sdk {version}");
        });

    Target Demo => _ => _
        .Describe("Brings up the local cluster, deploys samples/HelloSwarm with its own database (dotnet publish -t:SwarmDeploy -p:SwarmDatabase=postgres) and shows its answers.")
        .DependsOn(nameof(LocalCluster), nameof(Pack))
        .Executes(async ct =>
        {
            var watch = Stopwatch.StartNew();
            var project = Path.Combine(RootDirectory, "samples", "HelloSwarm", "HelloSwarm.csproj");
            var result = await Proc.RunAsync(Dotnet, ["publish", project, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-p:SwarmDatabase=postgres", "-nodeReuse:false", "-nologo"],
                new ProcOptions { Log = Log, OnLine = line => Log.Info("  " + line), Timeout = TimeSpan.FromMinutes(10), Check = false }, ct);
            if (!result.Ok) throw new BuildFailure($"dotnet publish -t:SwarmDeploy failed (exit {result.ExitCode}); see the messages above.");
            Log.Info($"deployed in {watch.Elapsed.TotalSeconds:0.0} s");

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var path in new[] { "/", "/visits" })
            {
                var url = $"http://hello-swarm.localhost:{EdgePort}{path}";
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{EdgePort}{path}");
                request.Headers.Host = $"hello-swarm.localhost:{EdgePort}";
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                Log.Info($"{url} answers {(int)response.StatusCode}: {body.Trim()}");
                Log.Info($"try it: curl {url}");
                if (!response.IsSuccessStatusCode) throw new BuildFailure($"{url} answered {(int)response.StatusCode}.");
            }
        });

    [Parameter("Test: only run tests whose fully qualified name contains this (dotnet test --filter).")]
    readonly string? Filter;

    Target Test => _ => _
        .Describe("Brings up (or reuses) the local cluster, packs the SDK, and runs every test suite on it.")
        .DependsOn(nameof(LocalCluster), nameof(Pack))
        .Executes(async ct =>
        {
            var totals = new TestTotals();
            var figures = Path.Combine(RootDirectory, "artifacts", "test-figures.txt");
            if (File.Exists(figures)) File.Delete(figures);
            foreach (var suite in new[] { "Futuswarm.Tests", "Futuswarm.Build.Tests", "Futuswarm.IntegrationTests" })
            {
                var project = Path.Combine(RootDirectory, "tests", suite, suite + ".csproj");
                if (!File.Exists(project)) continue;
                var args = new List<string> { "test", project, "-nologo", "-nodeReuse:false", "--logger", "console;verbosity=normal" };
                if (!string.IsNullOrEmpty(Filter)) args.AddRange(["--filter", Filter]);
                var result = await Proc.RunAsync(Dotnet, args,
                    new ProcOptions { Log = Log, OnLine = line => { Log.Info(line); totals.Read(line); }, Check = false, Timeout = TimeSpan.FromMinutes(40) }, ct);
                if (!result.Ok) totals.FailedSuites.Add(suite);
            }
            if (File.Exists(figures)) Log.Info("Figures measured by the tests:\n  " + string.Join("\n  ", File.ReadAllLines(figures)));
            // The plain closing line CI reads.
            Console.WriteLine($"{totals.Passed} passed, {totals.Failed} failed, {totals.Skipped} skipped");
            if (totals.FailedSuites.Count > 0 || totals.Failed > 0)
                throw new BuildFailure($"tests failed in {string.Join(", ", totals.FailedSuites)}");
            if (totals.Passed == 0) throw new BuildFailure("no test ran");
        });

    /// <summary>Adds up dotnet test's summary ("Passed: 12" / "Failed: 0" / "Skipped: 1" lines under "Total tests: 13").</summary>
    sealed class TestTotals
    {
        public int Passed, Failed, Skipped;
        public List<string> FailedSuites { get; } = [];

        public void Read(string line)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^\s*(Passed|Failed|Skipped):\s*(\d+)\s*$");
            if (!m.Success) return;
            var n = int.Parse(m.Groups[2].Value);
            switch (m.Groups[1].Value)
            {
                case "Passed": Passed += n; break;
                case "Failed": Failed += n; break;
                default: Skipped += n; break;
            }
        }
    }

    static string Dotnet => Futuswarm.Build.LocalCluster.ManagerLayout.Dotnet;
}
