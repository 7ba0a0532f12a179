using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes;

static class NodeErrors
{
    /// <summary>A step's command failed: names the step, the program and the exit code; output redacted.</summary>
    public static FswException StepFailed(string step, INodeShell shell, IReadOnlyList<string> argv, ShellResult r) =>
        new(ErrorCodes.NodeStepFailed,
            $"{ErrorCodes.NodeStepFailed}: node bootstrap step '{step}' on {shell.Name}: '{string.Join(' ', argv.Take(3))} ...' " +
            $"exited with {r.ExitCode}: {Redact.Tail(r.StdErr.Length > 0 ? r.StdErr : r.StdOut)}");
}
