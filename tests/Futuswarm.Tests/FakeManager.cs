using System.Text;
using System.Text.Json;

namespace Futuswarm.Tests;

/// <summary>
/// A FakeSsh that answers by verb (the last argument), for tasks that make more than one request. It keeps every
/// call: the verbs in order, each verb's stdin, and every argument list.
/// </summary>
internal sealed class FakeManager : IDisposable
{
    private readonly FakeSsh _ssh;
    private readonly string _dir;

    /// <param name="answers">verb → the lines printed for it; a verb not listed exits 3 with no answer</param>
    public FakeManager(params (string Verb, string[] Lines)[] answers)
    {
        var body = new StringBuilder()
            .Append("d=$(dirname \"$0\")\n")
            .Append("verb=$(tail -n 1 \"$d/argv\")\n")
            .Append("printf '%s\\n' \"$verb\" >> \"$d/verbs\"\n")
            .Append("cat \"$d/argv\" >> \"$d/argv.all\"\n")
            .Append("cp \"$d/stdin\" \"$d/stdin.$verb\"\n")
            .Append("case \"$verb\" in\n");
        foreach (var (verb, lines) in answers)
            body.Append(verb).Append(")\ncat <<'FSW_EOF'\n").Append(string.Join("\n", lines)).Append("\nFSW_EOF\n;;\n");
        body.Append("*) exit 3;;\nesac\n");
        _ssh = new FakeSsh(body.ToString());
        _dir = Path.GetDirectoryName(_ssh.ScriptPath)!;
    }

    public string ScriptPath => _ssh.ScriptPath;

    /// <summary>The verbs called, in order; empty when ssh never ran.</summary>
    public string[] Verbs => File.Exists(Path.Combine(_dir, "verbs")) ? File.ReadAllLines(Path.Combine(_dir, "verbs")) : [];

    /// <summary>Every argument of every call.</summary>
    public string AllArgs => File.Exists(Path.Combine(_dir, "argv.all")) ? File.ReadAllText(Path.Combine(_dir, "argv.all")) : "";

    public string Stdin(string verb) => File.ReadAllText(Path.Combine(_dir, "stdin." + verb));

    /// <summary>The request as the manager reads it: strict options, unknown fields refused.</summary>
    public T Request<T>(string verb) => JsonSerializer.Deserialize<T>(Stdin(verb), Futuswarm.Protocol.Wire.Json)!;

    public void Dispose() => _ssh.Dispose();
}
