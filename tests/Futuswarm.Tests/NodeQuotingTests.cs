using System.Diagnostics;
using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Ssh;

namespace Futuswarm.Tests;

/// <summary>The one quoting function for remote commands, checked against a real POSIX shell with hostile values.</summary>
public class NodeQuotingTests
{
    public static TheoryData<string> Hostile => new()
    {
        "", "plain", "a b", "it's", "'", "''", "'\\''", "$(touch /tmp/fsw-quote-pwned)", "`touch /tmp/fsw-quote-pwned`",
        "$HOME", "${PATH}", "a;touch /tmp/fsw-quote-pwned", "a && b || c", "*", "?", "[a]", "~root", "{a,b}", "\n", "a\nb\n",
        "\t", "\\", "\\'", "\"", "\"$(id)\"", "!", "!!", "-n", "--", "-e \\n", "a|b", "a>b", "<", "#comment", "é😀", "\r\n", "%s%n",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ShellSeesExactlyTheValue(string value)
    {
        // printf with the quoted value, run by sh exactly as SSH runs a command line through the login shell.
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, StandardOutputEncoding = Encoding.UTF8 };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(PosixQuote.CommandLine(["printf", "[%s]", value]));
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal($"[{value}]", output);
        Assert.False(File.Exists("/tmp/fsw-quote-pwned"));
    }

    [Fact]
    public void EveryArgumentIsSingleQuoted()
    {
        Assert.Equal("'it'\\''s'", PosixQuote.Arg("it's"));
        Assert.Equal("''", PosixQuote.Arg(""));
        Assert.Equal("'docker' '-H' 'unix:///x y'", PosixQuote.CommandLine(["docker", "-H", "unix:///x y"]));
    }

    [Fact]
    public void NulAndEmptyCommandsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PosixQuote.Arg("a\0b"));
        Assert.Throws<ArgumentException>(() => PosixQuote.CommandLine([]));
    }

    [Theory]
    [InlineData(0b110_000_000, 600)]
    [InlineData(0b110_100_100, 644)]
    [InlineData(0b111_000_000, 700)]
    public void SftpModesAreOctalDigits(int mode, short expected) =>
        Assert.Equal(expected, SshNodeShell.SftpMode((UnixFileMode)mode));
}
