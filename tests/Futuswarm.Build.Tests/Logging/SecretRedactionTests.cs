namespace Futuswarm.Build.Tests.Logging;

[Collection(ConsoleCollection.Name)]
public class SecretRedactionTests
{
    /// <summary>A fresh secret per test: the registry is process-wide and only grows.</summary>
    static string NewSecret() => "s3cr3t-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void A_registered_secret_never_reaches_the_console_at_any_level()
    {
        var secret = NewSecret();
        Secrets.Register(secret);
        var log = new ConsoleLog(verbose: true);

        using (var console = new ConsoleCapture())
        {
            log.Info($"token {secret} in info");
            log.Warn($"token {secret} in warn");
            log.Detail($"$ tool --password {secret}");
            log.Header($"==> {secret}");
            log.Error($"error: {secret}{secret}");

            Assert.DoesNotContain(secret, console.All);
            Assert.Contains("token *** in info", console.Out);
            Assert.Contains("warning: token *** in warn", console.Error);
            Assert.Contains("  · $ tool --password ***", console.Out);
            Assert.Contains("==> ***", console.Out);
            Assert.Contains("error: ******", console.Error);
        }
    }

    [Fact]
    public void A_secret_inside_a_multi_line_message_is_redacted_on_every_line()
    {
        var secret = NewSecret();
        Secrets.Register(secret);

        using var console = new ConsoleCapture();
        new ConsoleLog(verbose: false).Info($"first {secret}\nsecond {secret}\n{secret}");

        Assert.DoesNotContain(secret, console.Out);
        Assert.Equal($"first ***\nsecond ***\n***{Environment.NewLine}", console.Out);
    }

    [Fact]
    public void The_longer_of_two_overlapping_secrets_is_redacted_whole()
    {
        var shorter = NewSecret();
        var longer = shorter + "-and-more";
        Secrets.Register(shorter);
        Secrets.Register(longer);

        using var console = new ConsoleCapture();
        new ConsoleLog(verbose: false).Info($"[{longer}] [{shorter}]");

        Assert.Equal($"[***] [***]{Environment.NewLine}", console.Out);
    }

    [Fact]
    public void Detail_is_silent_without_verbose()
    {
        var secret = NewSecret();

        using var console = new ConsoleCapture();
        new ConsoleLog(verbose: false).Detail("quiet " + secret);

        Assert.Equal("", console.All);
    }

    [Fact]
    public void Text_without_a_secret_is_written_unchanged()
    {
        Secrets.Register(NewSecret());

        using var console = new ConsoleCapture();
        new ConsoleLog(verbose: false).Info("plain text ** with stars");

        Assert.Equal("plain text ** with stars" + Environment.NewLine, console.Out);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    public void Empty_and_very_short_values_are_not_registered_so_text_is_not_mangled(string? value)
    {
        Secrets.Register(value);

        Assert.Equal("a b ab abc", Secrets.Redact("a b ab abc"));
    }
}
