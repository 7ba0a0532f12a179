using System.Diagnostics;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.Tests;

/// <summary>A directory standing in for a node that has the AWS CLI, Docker and curl: fake programs first on PATH for
/// the commands run through it (its own environment, never the test process's). The fake aws records each call's argv
/// (so a test can see that no token was an argument) and keeps SecureStrings as files; put-parameter reads its value
/// from file:// as the real CLI does and notes that file's mode. Commands really run, with their scripts.</summary>
internal sealed class FakeAwsNode : INodeShell
{
    readonly TempDirectory _dir = new();
    public string Bin { get; }
    public string WorkDir { get; }

    public FakeAwsNode()
    {
        Bin = _dir.Sub("bin");
        WorkDir = Path.Combine(_dir.Path, "work");
        Program("aws", Aws);
        Program("docker", Docker);
        Program("curl", Curl);
    }

    public string Name => "fake-aws-node";
    public string DockerCli => Path.Combine(Bin, "docker");

    // argv as one line per call; ParameterNotFound while "missing" says so (or the parameter was never put);
    // "deny" answers AccessDenied instead.
    const string Aws = """
        #!/bin/sh
        d=$(dirname "$0"); printf '%s\n' "$*" >> "$d/aws.argv"
        op=$2; name=; value=
        while [ $# -gt 0 ]; do case "$1" in --name) name=$2; shift;; --value) value=$2; shift;; esac; shift; done
        key=$(printf '%s' "$name" | tr / _)
        case "$op" in
        get-parameter)
          n=$(cat "$d/gets" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$d/gets"
          if [ -f "$d/deny" ]; then printf '\nAn error occurred (AccessDeniedException) when calling the GetParameter operation: not authorized\n' >&2; exit 254; fi
          if [ "$n" -le "$(cat "$d/missing" 2>/dev/null || echo 0)" ] || [ ! -f "$d/store$key" ]; then
            printf '\nAn error occurred (ParameterNotFound) when calling the GetParameter operation: \n' >&2; exit 254; fi
          cat "$d/store$key"; echo ;;
        put-parameter)
          f=${value#file://}; stat -c '%a' "$f" >> "$d/modes"; cat "$f" > "$d/store$key"; echo '{"Version": 1, "Tier": "Standard"}' ;;
        *) echo "fake aws: unexpected $op" >&2; exit 2 ;;
        esac
        """;

    // docker -H <host> swarm join-token -q <role>: the token from token-<role>.
    const string Docker = """
        #!/bin/sh
        d=$(dirname "$0"); printf '%s\n' "$*" >> "$d/docker.argv"
        [ "$3 $4 $5" = "swarm join-token -q" ] && [ -f "$d/token-$6" ] && { cat "$d/token-$6"; echo; exit 0; }
        echo "fake docker: unexpected $*" >&2; exit 1
        """;

    // The join request's body is kept (as the engine would read it) and the argv recorded.
    const string Curl = """
        #!/bin/sh
        d=$(dirname "$0"); printf '%s\n' "$*" >> "$d/curl.argv"
        for a in "$@"; do case "$a" in @*) cat "${a#@}" > "$d/join-request";; esac; done
        echo '{}'
        """;

    void Program(string name, string script)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    public void SetToken(string role, string token) => File.WriteAllText(Path.Combine(Bin, "token-" + role), token);
    public void ParameterMissingFor(int gets) => File.WriteAllText(Path.Combine(Bin, "missing"), gets.ToString());
    public void DenyReads() => File.WriteAllText(Path.Combine(Bin, "deny"), "");
    public void PutParameter(string name, string value) => File.WriteAllText(Path.Combine(Bin, "store" + name.Replace('/', '_')), value);
    public string? Parameter(string name) => Read("store" + name.Replace('/', '_'));
    public string AwsArgv => Read("aws.argv") ?? "";
    public string[] AwsCalls => AwsArgv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    public string[] PutFileModes => (Read("modes") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
    public string? JoinRequest => Read("join-request");
    public string CurlArgv => Read("curl.argv") ?? "";
    public void ForgetCalls() { foreach (var f in new[] { "aws.argv", "modes", "gets" }) File.Delete(Path.Combine(Bin, f)); }

    string? Read(string name) => File.Exists(Path.Combine(Bin, name)) ? File.ReadAllText(Path.Combine(Bin, name)) : null;

    public async Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return new ShellResult(p.ExitCode, await stdout, await stderr);
    }

    public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default) =>
        throw new NotSupportedException("the token steps write no file through the shell");

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) => Task.FromResult<byte[]?>(null);

    public void Dispose() => _dir.Dispose();
}
