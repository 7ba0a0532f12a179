using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>The swarm's worker and manager join tokens in their SSM SecureStrings, written by the first manager right
/// after the init, so nodes booting beside it can read theirs (they wait for it, see SwarmJoin). Over SSH the same
/// script runs on a manager, which is how RepairCluster re-publishes after a token rotation. A parameter that already
/// holds the current token is left alone (no new version).</summary>
public sealed class JoinTokenPublishStep : NodeStep
{
    public override string Name => "join-tokens";
    public override bool AppliesTo(NodeSpec spec) => spec.IsManager && spec.PublishJoinTokens is not null;

    /// <summary>The key: the AWS-managed alias/aws/ssm. Its key policy lets any principal of the account use it through
    /// SSM, so neither role needs a kms permission to write (managers) or read with decryption (every node); the
    /// cluster's own key stays for the secrets and the state.</summary>
    public const string KeyId = "alias/aws/ssm";

    // A fixed script; values arrive as positional parameters. The token goes from docker's stdout into a 0600 file
    // (umask 077), is shape-checked and compared with the shell builtins read, case and [ ], and reaches the AWS CLI
    // as file://<file>, never as an argument or in output. --overwrite with the same token is harmless; tags are not
    // passed because SSM refuses tags together with --overwrite. The files go on any exit (trap).
    const string Script =
        "set -u; umask 077; d=$1; h=$2; r=$3; role=$4; p=$5; w=$6; t=\"$w/publish-$role\"; " +
        "mkdir -p -m 0700 \"$w\" || exit 1; trap 'rm -f \"$t\" \"$t.ssm\"' EXIT; " +
        "if ! \"$d\" -H \"$h\" swarm join-token -q \"$role\" > \"$t\"; then " +
        "echo \"" + ErrorCodes.NodeJoinTokenPublishFailed + ": docker swarm join-token $role failed\" >&2; exit 1; fi; " +
        "v=; IFS= read -r v < \"$t\"; " +
        "case \"$v\" in SWMTKN-1-?*) ;; *) v=;; esac; case \"$v\" in *[!A-Za-z0-9-]*) v=;; esac; " +
        "if [ -z \"$v\" ]; then echo \"" + ErrorCodes.NodeJoinTokenPublishFailed + ": docker gave no well-formed $role join token\" >&2; exit 1; fi; " +
        "printf '%s' \"$v\" > \"$t\"; " +
        "if aws ssm get-parameter --region \"$r\" --name \"$p\" --with-decryption --query Parameter.Value --output text > \"$t.ssm\" 2>/dev/null " +
        "&& c= && { IFS= read -r c < \"$t.ssm\" || :; } && [ \"$c\" = \"$v\" ]; then echo \"$role join token: $p up to date\"; exit 0; fi; " +
        "if ! aws ssm put-parameter --region \"$r\" --name \"$p\" --type SecureString --key-id " + KeyId + " --overwrite " +
        "--value \"file://$t\" > /dev/null; then " +
        "echo \"" + ErrorCodes.NodeJoinTokenPublishFailed + ": aws ssm put-parameter $p failed (the manager role needs ssm:PutParameter on it)\" >&2; exit 1; fi; " +
        "echo \"$role join token: published to $p\"";

    /// <summary>One role's publish command: sh with the fixed script and the values as positional parameters.</summary>
    public static string[] Command(NodeSpec spec, bool manager) =>
        ["sh", "-c", Script, "sh", spec.DockerCli, spec.DockerHost, spec.Region!, manager ? "manager" : "worker",
            spec.PublishJoinTokens!.For(manager), spec.WorkDir];

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var published = new List<string>();
        foreach (var manager in new[] { false, true })
        {
            var r = await ctx.Node.RunAsync(Command(ctx.Spec, manager), null, ct);
            if (!r.Ok)
                throw new FswException(ErrorCodes.NodeJoinTokenPublishFailed,
                    $"{ErrorCodes.NodeJoinTokenPublishFailed}: the {(manager ? "manager" : "worker")} join token could not be published from " +
                    $"{ctx.Node.Name} to {ctx.Spec.PublishJoinTokens!.For(manager)}: {Redact.Tail(r.StdErr.Length > 0 ? r.StdErr : r.StdOut)}. " +
                    "Check the manager role's ssm:PutParameter on both join-token parameters and the AWS CLI on the node.");
            if (!r.StdOut.Contains(" up to date", StringComparison.Ordinal)) published.Add(manager ? "manager" : "worker");
        }
        return published.Count == 0
            ? Skip("worker and manager join tokens up to date in SSM")
            : Did($"published the {string.Join(" and ", published)} join token{(published.Count > 1 ? "s" : "")} to SSM ({KeyId})");
    }

    /// <summary>Only the first manager publishes at first boot; a joining manager's tokens are the same swarm's.</summary>
    public override void Render(NodeSpec spec, CloudConfig config)
    {
        if (spec.Role != NodeRole.FirstManager) return;
        config.Run(Command(spec, manager: false));
        config.Run(Command(spec, manager: true));
    }
}
