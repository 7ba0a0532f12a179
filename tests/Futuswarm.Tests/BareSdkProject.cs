extern alias tasks;

using System.Diagnostics;

namespace Futuswarm.Tests;

/// <summary>
/// A bare project importing the SDK's Sdk.props/Sdk.targets from this checkout and this build's task assembly, run by
/// `dotnet msbuild` with a fake ssh: how target-level tests see what a user's build would do.
/// </summary>
internal sealed class BareSdkProject(TempDirectory dir, string sshPath)
{
    public string Write(string properties = "", string items = "", string extra = "")
    {
        var sdk = Path.Combine(RepoRoot.Path, "Futuswarm.Sdk", "Sdk");
        var tasksAssembly = typeof(tasks::Futuswarm.Tasks.SwarmDeploy).Assembly.Location;
        return dir.File("App.proj", $"""
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IntermediateOutputPath>obj/</IntermediateOutputPath>
                <FutuswarmTasksAssembly>{tasksAssembly}</FutuswarmTasksAssembly>
                <SwarmManager>127.0.0.1:2299</SwarmManager>
                <SwarmHostKey>ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE3uV0i5yzS3tKnd2d0mZb2Gq1vT9y8P9s0Jm6k3Yh8F</SwarmHostKey>
                {properties}
              </PropertyGroup>
              <Import Project="{sdk}/Sdk.props" />
              <ItemGroup>
                {items}
              </ItemGroup>
              <Import Project="{sdk}/Sdk.targets" />
              {extra}
            </Project>
            """);
    }

    public async Task<(int ExitCode, string Output)> MSBuildAsync(string project, string verbosity, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.Path };
        foreach (var a in (string[])["msbuild", project, "-nodeReuse:false", "-nologo", $"-v:{verbosity}", $"-p:FutuswarmSshPath={sshPath}", .. args])
            psi.ArgumentList.Add(a);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
