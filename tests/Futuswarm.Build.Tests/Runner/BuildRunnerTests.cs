using Futuswarm.Build.Tests.Logging;

namespace Futuswarm.Build.Tests.Runner;

/// <summary>The runner end to end with a small build class: exit codes, binding, and secrets kept out of the output.</summary>
[Collection(ConsoleCollection.Name)]
public class BuildRunnerTests
{
    sealed class FakeBuild : BuildBase
    {
        /// <summary>What the last run's target saw (the runner creates its own instance; these tests run one at a time).</summary>
        public static int? SeenCount;

        [Parameter("a number")] readonly int Count = 1;
        [Parameter("a secret", Secret = true)] readonly string? Token;

        Target Hello => _ => _
            .Describe("records what it was given")
            .Executes(() =>
            {
                SeenCount = Count;
                Log.Info($"hello, token is {Token}");
                Log.Detail($"detail with {Token}");
            });

        Target Fails => _ => _
            .DependsOn(nameof(Hello))
            .Executes(() => throw new BuildFailure($"FSW0000: refused token {Token}"));
    }

    static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        FakeBuild.SeenCount = null;
        using var console = new ConsoleCapture();
        var code = await BuildRunner.RunAsync<FakeBuild>(args);
        return (code, console.Out, console.Error);
    }

    [Fact]
    public async Task A_good_run_binds_parameters_and_exits_0()
    {
        var (code, output, _) = await Run("Hello", "--count", "3");

        Assert.Equal(0, code);
        Assert.Equal(3, FakeBuild.SeenCount);
        Assert.Contains("==> Hello", output);
    }

    [Fact]
    public async Task A_bad_int_is_a_usage_error_with_exit_code_2_and_nothing_runs()
    {
        var (code, _, error) = await Run("Hello", "--count", "many");

        Assert.Equal(2, code);
        Assert.Null(FakeBuild.SeenCount);
        Assert.Contains("error: Parameter '--count' expects a whole number, not 'many'.", error);
    }

    [Theory]
    [InlineData("Hello", "--colour", "red")]
    [InlineData("Nope")]
    [InlineData("--count", "2")]
    public async Task Unknown_parameters_and_targets_and_no_target_exit_with_2(params string[] args)
    {
        var (code, _, error) = await Run(args);

        Assert.Equal(2, code);
        Assert.Null(FakeBuild.SeenCount);
        Assert.StartsWith("error: ", error);
    }

    [Fact]
    public async Task A_secret_parameter_never_appears_in_the_output_even_verbose_and_on_failure()
    {
        var secret = "tok-" + Guid.NewGuid().ToString("N");

        var (code, output, error) = await Run("Fails", "--token", secret, "--verbose");

        Assert.Equal(1, code);
        Assert.DoesNotContain(secret, output + error);
        Assert.Contains("--token = ***", output);
        Assert.Contains("hello, token is ***", output);
        Assert.Contains("detail with ***", output);
        Assert.Contains("error: FSW0000: refused token ***", error);
    }
}
