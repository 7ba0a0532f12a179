namespace Futuswarm.Build.Tests.Processes;

/// <summary>Non-zero exits, missing programs and timeouts become a <see cref="ProcException"/> that says why.</summary>
public class ProcFailureTests
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>A child that writes stdout and stderr lines and exits with a code (the script is one argv entry).</summary>
    static Task<ProcResult> Sh(string script, bool check = true) =>
        Proc.RunAsync("sh", ["-c", script], new ProcOptions { Timeout = Limit, Check = check });

    [Fact]
    public async Task A_non_zero_exit_throws_with_the_code_the_command_line_and_the_stderr_tail()
    {
        var e = await Assert.ThrowsAsync<ProcException>(() =>
            Sh("echo on-stdout; echo 'first problem' >&2; echo 'last problem' >&2; exit 3"));

        Assert.Equal("sh -c 'echo on-stdout; echo '\\''first problem'\\'' >&2; echo '\\''last problem'\\'' >&2; exit 3'", e.CommandLine);
        Assert.Equal($"'{e.CommandLine}' exited with code 3:\n  first problem\n  last problem", e.Message);
        Assert.NotNull(e.Result);
        Assert.Equal(3, e.Result!.ExitCode);
        Assert.Equal("on-stdout\n", e.Result.StdOut);
        Assert.Equal("first problem\nlast problem\n", e.Result.StdErr);
    }

    [Fact]
    public async Task Only_the_last_twelve_stderr_lines_are_in_the_message()
    {
        var e = await Assert.ThrowsAsync<ProcException>(() =>
            Sh("for i in $(seq -w 1 20); do echo \"err-$i\" >&2; done; exit 1"));

        var tail = e.Message[(e.Message.IndexOf(":\n", StringComparison.Ordinal) + 2)..].Split('\n');
        Assert.Equal(Enumerable.Range(9, 12).Select(i => $"  err-{i:00}"), tail);
        Assert.DoesNotContain("err-08", e.Message);
        Assert.Equal(20, e.Result!.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Without_stderr_the_stdout_tail_explains_the_failure()
    {
        var e = await Assert.ThrowsAsync<ProcException>(() => Sh("echo 'only on stdout'; exit 2"));

        Assert.EndsWith("exited with code 2:\n  only on stdout", e.Message);
    }

    [Fact]
    public async Task Without_any_output_the_message_ends_with_the_code()
    {
        var e = await Assert.ThrowsAsync<ProcException>(() => Proc.RunAsync("false", [], new ProcOptions { Timeout = Limit }));

        Assert.Equal("'false' exited with code 1.", e.Message);
    }

    [Fact]
    public async Task With_Check_off_a_failure_is_returned_not_thrown()
    {
        var result = await Sh("echo bad >&2; exit 4", check: false);

        Assert.False(result.Ok);
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("bad\n", result.StdErr);
    }

    [Fact]
    public async Task A_missing_program_throws_without_a_result()
    {
        var e = await Assert.ThrowsAsync<ProcException>(() =>
            Proc.RunAsync("/nonexistent/fsw-no-such-tool", ["a b"], new ProcOptions { Timeout = Limit }));

        Assert.StartsWith("Cannot start '/nonexistent/fsw-no-such-tool'", e.Message);
        Assert.Equal("/nonexistent/fsw-no-such-tool 'a b'", e.CommandLine);
        Assert.Null(e.Result);
    }

    [Fact]
    public async Task A_timeout_kills_the_program_and_says_so()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ProcException>(() =>
            Proc.RunAsync("sleep", ["30"], new ProcOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal("'sleep 30' timed out after 0.3 s.", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_is_an_OperationCanceledException_not_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Proc.RunAsync("sleep", ["30"], new ProcOptions { Timeout = Limit }, cts.Token));
    }
}
