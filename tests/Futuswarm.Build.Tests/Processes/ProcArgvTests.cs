namespace Futuswarm.Build.Tests.Processes;

/// <summary>Arguments reach the program as an argv array, never through a shell.</summary>
public class ProcArgvTests
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>printf '%s\n' arg... prints each argument on its own line, exactly as it received it.</summary>
    static async Task<string> Echo(params string[] args)
    {
        var result = await Proc.RunAsync("printf", ["%s\n", .. args], new ProcOptions { Timeout = Limit });
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Ok);
        return result.StdOut;
    }

    [Fact]
    public async Task Spaces_quotes_and_semicolons_arrive_verbatim()
    {
        string[] args = ["two words", "it's", "say \"hi\"", "a;b", "; rm -rf /nonexistent ;", "  padded  "];

        Assert.Equal(string.Concat(args.Select(a => a + "\n")), await Echo(args));
    }

    [Fact]
    public async Task Shell_syntax_is_not_interpreted()
    {
        string[] args = ["$HOME", "`id`", "$(echo pwned)", "*", "a|b", "x > /tmp/fsw-should-not-exist", "&&", "back\\slash", "~"];

        Assert.Equal(string.Concat(args.Select(a => a + "\n")), await Echo(args));
        Assert.False(File.Exists("/tmp/fsw-should-not-exist"));
    }

    [Fact]
    public async Task An_empty_argument_is_kept_as_an_argument()
    {
        Assert.Equal("a\n\nb\n", await Echo("a", "", "b"));
    }

    [Fact]
    public async Task Non_ascii_text_round_trips()
    {
        Assert.Equal("grüße · 日本\n", await Echo("grüße · 日本"));
    }

    [Fact]
    public async Task StdIn_is_fed_to_the_program()
    {
        var result = await Proc.RunAsync("cat", [], new ProcOptions { StdIn = "one\ntwo\n", Timeout = Limit });

        Assert.Equal("one\ntwo\n", result.StdOut);
    }

    [Fact]
    public async Task OnLine_sees_every_output_line()
    {
        var lines = new List<string>();

        await Proc.RunAsync("printf", ["%s\n", "x y", "z"], new ProcOptions { Timeout = Limit, OnLine = l => { lock (lines) lines.Add(l); } });

        Assert.Equal(["x y", "z"], lines);
    }

    [Fact]
    public async Task Env_adds_variables_to_the_child()
    {
        var result = await Proc.RunAsync("printenv", ["FSW_TEST_VALUE"],
            new ProcOptions { Env = new Dictionary<string, string?> { ["FSW_TEST_VALUE"] = "a b;c" }, Timeout = Limit });

        Assert.Equal("a b;c\n", result.StdOut);
    }
}
