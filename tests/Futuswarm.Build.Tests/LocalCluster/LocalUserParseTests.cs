namespace Futuswarm.Build.Tests.LocalCluster;

public class LocalUserParseTests
{
    [Fact]
    public void Name_and_key_are_split_at_the_first_equals_sign()
    {
        var user = LocalUser.Parse("alice=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE= alice@laptop");

        Assert.Equal(new LocalUser("alice", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE= alice@laptop"), user);
    }

    [Fact]
    public void Spaces_around_name_and_key_are_trimmed()
    {
        Assert.Equal(new LocalUser("bob", "ssh-rsa AAAA"), LocalUser.Parse("  bob = ssh-rsa AAAA  "));
    }

    [Theory]
    [InlineData("a=k")]
    [InlineData("_ci=k")]
    [InlineData("dev-2_x=k")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345=k")] // 32 characters
    public void Valid_names_are_accepted(string value) => LocalUser.Parse(value);

    [Theory]
    [InlineData("alice")]                          // no '='
    [InlineData("=ssh-ed25519 AAAA")]              // no name
    [InlineData("alice=")]                         // no key
    [InlineData("alice=   ")]                      // blank key
    [InlineData("Alice=k")]                        // upper case
    [InlineData("1alice=k")]                       // starts with a digit
    [InlineData("-alice=k")]                       // starts with '-'
    [InlineData("al ice=k")]                       // space inside
    [InlineData("al.ice=k")]                       // dot
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456=k")] // 33 characters
    [InlineData("")]
    public void Bad_syntax_is_a_usage_error_quoting_the_value(string value)
    {
        var e = Assert.Throws<UsageException>(() => LocalUser.Parse(value));

        Assert.StartsWith("FSW6009: --user expects name=public-key", e.Message);
        Assert.EndsWith($"not '{value}'.", e.Message);
    }
}
