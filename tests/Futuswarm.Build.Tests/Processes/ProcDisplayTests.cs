namespace Futuswarm.Build.Tests.Processes;

/// <summary>How a command line is shown in logs and error messages.</summary>
public class ProcDisplayTests
{
    [Fact]
    public void Plain_arguments_are_shown_bare()
    {
        Assert.Equal("docker -H unix:///x.sock service ls --format json",
            Proc.Display("docker", ["-H", "unix:///x.sock", "service", "ls", "--format", "json"]));
    }

    [Theory]
    [InlineData("a b", "'a b'")]
    [InlineData("tab\there", "'tab\there'")]
    [InlineData("line\nbreak", "'line\nbreak'")]
    [InlineData("", "''")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("\"", "'\"'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("'", "''\\'''")]
    public void Whitespace_quotes_and_empty_arguments_are_single_quoted(string arg, string shown)
    {
        Assert.Equal("tool " + shown, Proc.Display("tool", [arg]));
    }

    [Fact]
    public void The_program_itself_is_quoted_like_an_argument()
    {
        Assert.Equal("'/opt/my tools/run' x", Proc.Display("/opt/my tools/run", ["x"]));
    }

    [Fact]
    public void No_arguments_shows_just_the_program()
    {
        Assert.Equal("/usr/bin/true", Proc.Display("/usr/bin/true", []));
    }

    [Theory]
    [InlineData("a;b", "'a;b'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("a|b", "'a|b'")]
    [InlineData("*", "'*'")]
    [InlineData("a&b", "'a&b'")]
    [InlineData("x>y", "'x>y'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("{{.Name}}", "'{{.Name}}'")]
    public void Shell_metacharacters_are_quoted_so_the_line_can_be_pasted_into_a_shell(string arg, string shown)
    {
        Assert.Equal("tool " + shown, Proc.Display("tool", [arg]));
    }
}
