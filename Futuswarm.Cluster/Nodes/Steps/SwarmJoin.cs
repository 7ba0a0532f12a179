using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>Joining without the token ever being a process argument (visible in ps and /proc to every user): the
/// request goes to the Engine API from a 0600 file that is deleted right after.</summary>
static partial class SwarmJoin
{
    [GeneratedRegex("^SWMTKN-1-[A-Za-z0-9]+-[A-Za-z0-9]+$")] private static partial Regex TokenShape();

    public static async Task JoinAsync(NodeContext ctx, CancellationToken ct)
    {
        var spec = ctx.Spec;
        if (ctx.JoinToken is null)
            throw new FswException(ErrorCodes.NodeJoinFailed, $"{ErrorCodes.NodeJoinFailed}: node '{spec.Name}' must join a swarm but no join token source was given.");
        var token = (await ctx.JoinToken(spec.IsManager, ct)).Trim();
        if (!TokenShape().IsMatch(token))
            throw new FswException(ErrorCodes.NodeJoinFailed,
                $"{ErrorCodes.NodeJoinFailed}: the join token for node '{spec.Name}' is not a swarm join token (SWMTKN-1-...); check its source.");

        var body = new JsonObject
        {
            ["ListenAddr"] = $"0.0.0.0:{spec.SwarmPort}",
            ["AdvertiseAddr"] = spec.AdvertiseAddress is { } a ? $"{a}:{spec.SwarmPort}" : "",
            ["RemoteAddrs"] = new JsonArray(spec.ManagerAddress),
            ["JoinToken"] = token,
        };
        var file = $"{spec.WorkDir}/join-{Guid.NewGuid():N}.json";
        await ctx.MustAsync("swarm", ctx.Node, ["mkdir", "-p", "-m", "0700", spec.WorkDir], ct);
        ShellResult r;
        try
        {
            await ctx.Node.WriteFileAsync(file, Encoding.UTF8.GetBytes(body.ToJsonString()), UnixFileMode.UserRead | UnixFileMode.UserWrite, ct);
            r = await ctx.Node.RunAsync(Curl(spec, file), null, ct);
        }
        finally
        {
            await ctx.Node.RunAsync(["rm", "-f", file], null, CancellationToken.None);
        }
        if (!r.Ok)
            throw new FswException(ErrorCodes.NodeJoinFailed,
                $"{ErrorCodes.NodeJoinFailed}: the engine on {ctx.Node.Name} refused to join {spec.ManagerAddress}: " +
                $"{Redact.Tail(r.StdOut + " " + r.StdErr)}. Check the manager address, the swarm ports (2377, 7946, 4789) between the nodes and the token's role.");
    }

    static string[] Curl(NodeSpec spec, string file) =>
        ["curl", "-sS", "--fail-with-body", "--max-time", "120", "--unix-socket", spec.DockerSocket, "-X", "POST",
            "-H", "Content-Type: application/json", "--data-binary", "@" + file, "http://docker/swarm/join"];

    // cloud-init: fixed scripts; values arrive as positional parameters, never spliced into the script. read and
    // printf are shell builtins, so the token is in no process's argument list.
    // The token may not exist yet: the first manager publishes it only after its own swarm init, and nodes boot side by
    // side. So the fetch waits, bounded (spec: interval x attempts), saying why on each round; any error is retried
    // (at first boot the instance role's credentials and IAM itself may lag a few seconds), and the last one is named
    // when it gives up. aws's error output never holds the token (the call failed), so it may be shown.
    const string Fetch =
        "umask 077; r=$1; p=$2; f=$3; n=$4; s=$5; i=1; " +
        "while :; do " +
        "if aws ssm get-parameter --region \"$r\" --name \"$p\" --with-decryption --query Parameter.Value --output text > \"$f\" 2> \"$f.err\"; then " +
        "rm -f \"$f.err\"; echo \"join token: read from $p\"; exit 0; fi; " +
        "if grep -q ParameterNotFound \"$f.err\"; then why='does not exist yet'; else why=\"could not be read: $(grep -m 1 . \"$f.err\")\"; fi; " +
        "if [ \"$i\" -ge \"$n\" ]; then rm -f \"$f\" \"$f.err\"; " +
        "echo \"" + ErrorCodes.NodeJoinTokenWaitTimedOut + ": join token $p $why after $n attempts $s s apart; giving up. " +
        "Check the first manager's cloud-init output (it publishes the tokens) and this node's role.\" >&2; exit 1; fi; " +
        "echo \"join token: $p $why (attempt $i of $n); waiting $s s for the first manager to publish it\"; " +
        "i=$((i + 1)); sleep \"$s\"; done";
    const string Body = "umask 077; IFS= read -r t < \"$1\"; rm -f \"$1\"; " +
        "case \"$t\" in SWMTKN-1-*) ;; *) echo 'join token malformed' >&2; exit 1;; esac; " +
        "case \"$t\" in *[!A-Za-z0-9-]*) echo 'join token malformed' >&2; exit 1;; esac; " +
        "printf '{\"ListenAddr\":\"%s\",\"AdvertiseAddr\":\"%s\",\"RemoteAddrs\":[\"%s\"],\"JoinToken\":\"%s\"}' \"$2\" \"$3\" \"$4\" \"$t\" > \"$5\"";
    const string Post = "s=$1; shift; \"$@\"; c=$?; rm -f \"$s\"; exit $c";

    public static void Render(NodeSpec spec, CloudConfig config)
    {
        var tokenFile = $"{spec.WorkDir}/join-token";
        var bodyFile = $"{spec.WorkDir}/join.json";
        config.Run("install", "-d", "-m", "0700", spec.WorkDir);
        config.Run("sh", "-c", Fetch, "sh", spec.Region!, spec.JoinTokenParameter!, tokenFile,
            spec.JoinTokenWaitAttempts.ToString(CultureInfo.InvariantCulture), spec.JoinTokenWaitSeconds.ToString(CultureInfo.InvariantCulture));
        config.Run("sh", "-c", Body, "sh", tokenFile, $"0.0.0.0:{spec.SwarmPort}",
            spec.AdvertiseAddress is { } a ? $"{a}:{spec.SwarmPort}" : "", spec.ManagerAddress!, bodyFile);
        config.Run(["sh", "-c", Post, "sh", bodyFile, .. Curl(spec, bodyFile)]);
    }
}
