using System.Text;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.Verbs;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Secret inputs checked (names, sizes, duplicates) and applied to a service's config with a real vault.</summary>
public class SecretChangesTests : IDisposable
{
    private const string Service = "shop";
    private const string Secret = "sk_live_Plaintext-Must-Never-Appear-0123456789";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly Identity Alice = new("alice", false, "SHA256:alice");
    private static readonly Identity Bob = new("bob", true, "SHA256:bob");

    private readonly LocalVault _local = new();
    private readonly SecretChanges _changes;

    public SecretChangesTests() => _changes = new SecretChanges(_local.Vault);

    public void Dispose() => _local.Dispose();

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
    private static SecretInput Set(string name, string value) => new() { Name = name, Value = Bytes(value) };
    private static SecretInput Keep(string name, string? fingerprint = null) => new() { Name = name, Fingerprint = fingerprint };

    private async Task<string> Fingerprint(string value) =>
        SecretFingerprint.Compute(await _local.Vault.FingerprintKeyAsync(Service, Ct), Bytes(value));

    private Task<ServiceConfiguration> Apply(ServiceConfiguration current, params SecretInput[] inputs) =>
        _changes.ApplyAsync(Alice, Service, current, inputs, Ct);

    // ---- Validate ----

    private static FswException Invalid(string code, IReadOnlyList<SecretInput> inputs, bool valuesRequired = false)
    {
        var e = Assert.Throws<FswException>(() => SecretChanges.Validate(inputs, valuesRequired));
        Assert.Equal(code, e.Code);
        return e;
    }

    public static TheoryData<string> BadNames() => new()
    {
        "", ".", "..", "...", ".hidden", "a/b", "../etc", "a b", "a\\b", "a:b", "ä", "a\nb", new string('a', 129),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public void BadNamesAreRefused(string name)
    {
        var e = Invalid(ErrorCodes.InvalidSecretName, [Set(name, Secret)]);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("Stripe__ApiKey")]
    [InlineData("tls.crt")]
    [InlineData("db-password_2")]
    [InlineData("a.hidden")]
    public void GoodNamesAreAccepted(string name) => SecretChanges.Validate([Set(name, Secret)], valuesRequired: true);

    [Fact]
    public void ANameOf128CharactersIsAccepted() => SecretChanges.Validate([Set(new string('a', 128), Secret)], valuesRequired: true);

    [Fact]
    public void ABadNameIsRefusedWithoutAValueToo() => Invalid(ErrorCodes.InvalidSecretName, [Keep("a b")]);

    [Fact]
    public void DuplicatesAreRefused()
    {
        Invalid(ErrorCodes.InvalidSecretName, [Set("A", "1"), Set("B", "2"), Set("A", "1")]);
        Invalid(ErrorCodes.InvalidSecretName, [Set("A", "1"), Keep("A")]);
    }

    [Fact]
    public void NamesDifferingInCaseAreNotDuplicates() => SecretChanges.Validate([Set("a", "1"), Set("A", "2")], valuesRequired: true);

    [Fact]
    public void AnEmptyValueIsRefused() => Invalid(ErrorCodes.InvalidSecretValue, [new SecretInput { Name = "A", Value = [] }]);

    [Fact]
    public void AValueOverSwarmsLimitIsRefusedWithoutShowingIt()
    {
        var value = new byte[500 * 1024 + 1];
        Array.Fill(value, (byte)'Q');
        var e = Invalid(ErrorCodes.InvalidSecretValue, [new SecretInput { Name = "Big", Value = value }]);
        Assert.Contains("Big", e.Message);
        Assert.DoesNotContain("QQQQQQQQ", e.Message);
    }

    [Fact]
    public void AValueOfExactlySwarmsLimitIsAccepted() =>
        SecretChanges.Validate([new SecretInput { Name = "Big", Value = new byte[500 * 1024] }], valuesRequired: true);

    [Fact]
    public void ValuesRequiredRefusesAnInputWithoutOne()
    {
        Invalid(ErrorCodes.InvalidSecretValue, [Set("A", "1"), Keep("B")], valuesRequired: true);
        Invalid(ErrorCodes.InvalidSecretValue, [Keep("B", "hmac-sha256:00")], valuesRequired: true);
        SecretChanges.Validate([Set("A", "1"), Keep("B"), Keep("C", "hmac-sha256:00")], valuesRequired: false);
    }

    [Fact]
    public void AnEmptyListIsValid() => SecretChanges.Validate([], valuesRequired: true);

    // ---- ApplyAsync ----

    [Fact]
    public async Task ANewValueGetsANewPin()
    {
        var before = DateTimeOffset.UtcNow;
        var config = await Apply(ServiceConfiguration.Empty, Set("Stripe__ApiKey", Secret));

        var pin = Assert.Single(config.Secrets).Value;
        Assert.Equal("Stripe__ApiKey", Assert.Single(config.Secrets).Key);
        Assert.Equal("alice", pin.SetBy);
        Assert.Equal(await Fingerprint(Secret), pin.Fingerprint);
        Assert.StartsWith("hmac-sha256:", pin.Fingerprint);
        Assert.InRange(pin.SetAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(Secret, Encoding.UTF8.GetString((await _local.Vault.OpenAsync(Service, "Stripe__ApiKey", pin.Version, Ct))!));
        Assert.Equal(1, await _local.Vault.CountVersionsAsync(Service, "Stripe__ApiKey", Ct));
    }

    [Fact]
    public async Task TheSameValueAgainKeepsThePinAndStoresNothing()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var second = await _changes.ApplyAsync(Bob, Service, first, [Set("A", Secret)], Ct);

        Assert.Equal(first.Secrets["A"], second.Secrets["A"]);
        Assert.Equal("alice", second.Secrets["A"].SetBy);
        Assert.True(first.SameAs(second));
        Assert.Equal(1, await _local.Vault.CountVersionsAsync(Service, "A", Ct));
    }

    [Fact]
    public async Task AChangedValueGetsANewVersion()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var second = await _changes.ApplyAsync(Bob, Service, first, [Set("A", Secret + "-rotated")], Ct);

        var (old, pin) = (first.Secrets["A"], second.Secrets["A"]);
        Assert.NotEqual(old.Version, pin.Version);
        Assert.NotEqual(old.Fingerprint, pin.Fingerprint);
        Assert.Equal(await Fingerprint(Secret + "-rotated"), pin.Fingerprint);
        Assert.Equal("bob", pin.SetBy);
        Assert.Equal(2, await _local.Vault.CountVersionsAsync(Service, "A", Ct));
        // The older version stays for releases that pin it.
        Assert.Equal(Secret, Encoding.UTF8.GetString((await _local.Vault.OpenAsync(Service, "A", old.Version, Ct))!));
        Assert.Equal(Secret + "-rotated", Encoding.UTF8.GetString((await _local.Vault.OpenAsync(Service, "A", pin.Version, Ct))!));
        Assert.False(first.SameAs(second));
    }

    [Fact]
    public async Task TheCurrentConfigIsNotChanged()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var pinBefore = first.Secrets["A"];
        var second = await Apply(first, Set("A", "other"), Set("B", "new"));

        Assert.Equal(["A"], first.Secrets.Keys);
        Assert.Equal(pinBefore, first.Secrets["A"]);
        Assert.Equal(["A", "B"], second.Secrets.Keys);
    }

    [Fact]
    public async Task OtherSecretsAndTheEnvironmentAreKept()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", "1"), Set("B", "2"));
        var withEnv = first with { Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["HELLO"] = "world" } };
        var second = await Apply(withEnv, Set("B", "3"));

        Assert.Equal(first.Secrets["A"], second.Secrets["A"]);
        Assert.NotEqual(first.Secrets["B"].Version, second.Secrets["B"].Version);
        Assert.Equal("world", second.Environment["HELLO"]);
    }

    [Fact]
    public async Task NoInputsChangeNothing()
    {
        var current = ServiceConfiguration.Empty;
        Assert.Same(current, await Apply(current));
        Assert.Empty(_local.AllKeys());
    }

    [Fact]
    public async Task AMatchingFingerprintKeepsThePin()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var keysBefore = _local.AllKeys();
        var second = await Apply(first, Keep("A", await Fingerprint(Secret)));

        Assert.Equal(first.Secrets["A"], second.Secrets["A"]);
        Assert.Equal(keysBefore, _local.AllKeys());
    }

    [Fact]
    public async Task NeitherValueNorFingerprintKeepsAnExistingPin()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var keysBefore = _local.AllKeys();
        var second = await Apply(first, Keep("A"));

        Assert.Equal(first.Secrets["A"], second.Secrets["A"]);
        Assert.Equal(keysBefore, _local.AllKeys());
    }

    [Fact]
    public async Task AStaleFingerprintIsAConcurrentChangeAndStoresNothing()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var keysBefore = _local.AllKeys();

        var stale = await Fingerprint("what the client had");
        var e = await Assert.ThrowsAsync<FswException>(() => Apply(first, Keep("A", stale)));
        Assert.Equal(ErrorCodes.ConcurrentChange, e.Code);
        Assert.Contains("'A'", e.Message);
        Assert.Equal(keysBefore, _local.AllKeys());
    }

    [Fact]
    public async Task AFingerprintForASecretTheClusterDoesNotHaveIsAConcurrentChange()
    {
        await _local.Vault.FingerprintKeyAsync(Service, Ct);
        var keysBefore = _local.AllKeys();

        var e = await Assert.ThrowsAsync<FswException>(() => Apply(ServiceConfiguration.Empty, Keep("A", "hmac-sha256:00")));
        Assert.Equal(ErrorCodes.ConcurrentChange, e.Code);
        Assert.Equal(keysBefore, _local.AllKeys());
    }

    [Fact]
    public async Task NeitherValueNorFingerprintWithoutAPinIsNotFoundAndStoresNothing()
    {
        var e = await Assert.ThrowsAsync<FswException>(() => Apply(ServiceConfiguration.Empty, Keep("A")));
        Assert.Equal(ErrorCodes.SecretNotFound, e.Code);
        Assert.Contains("'A'", e.Message);
        Assert.Empty(await _local.Store.ListAsync($"services/{Service}/secrets/", Ct));
    }

    [Fact]
    public async Task AFailingInputAfterAValidOneStoresNoVersion()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var keysBefore = _local.AllKeys();

        // A valid new value first, then a stale fingerprint: nothing of the first may be stored.
        var stale = await Assert.ThrowsAsync<FswException>(() =>
            Apply(first, Set("B", "new value"), Set("A2", "another"), Keep("A", "hmac-sha256:stale")));
        Assert.Equal(ErrorCodes.ConcurrentChange, stale.Code);
        Assert.Equal(keysBefore, _local.AllKeys());

        // A valid new value first, then a secret the cluster does not have.
        var missing = await Assert.ThrowsAsync<FswException>(() => Apply(first, Set("B", "new value"), Keep("Missing")));
        Assert.Equal(ErrorCodes.SecretNotFound, missing.Code);
        Assert.Equal(keysBefore, _local.AllKeys());
        Assert.Equal(0, await _local.Vault.CountVersionsAsync(Service, "B", Ct));
        Assert.Equal(1, await _local.Vault.CountVersionsAsync(Service, "A", Ct));
    }

    [Fact]
    public async Task AFailingFirstInputOfAFreshServiceStoresNoSecretVersion()
    {
        var e = await Assert.ThrowsAsync<FswException>(() => Apply(ServiceConfiguration.Empty, Set("B", "new value"), Keep("Missing")));
        Assert.Equal(ErrorCodes.SecretNotFound, e.Code);
        Assert.Empty(await _local.Store.ListAsync($"services/{Service}/secrets/", Ct));
    }

    [Fact]
    public async Task ErrorsNeverShowAValue()
    {
        var first = await Apply(ServiceConfiguration.Empty, Set("A", Secret));
        var e = await Assert.ThrowsAsync<FswException>(() => Apply(first, Set("B", Secret), Keep("A", "hmac-sha256:stale")));
        Assert.DoesNotContain(Secret, e.Message);
        Assert.DoesNotContain(first.Secrets["A"].Fingerprint, e.Message);
    }

    [Fact]
    public void ForgetZeroesTheValues()
    {
        var a = Set("A", Secret);
        var b = Keep("B");
        SecretChanges.Forget([a, b]);
        Assert.All(a.Value!, x => Assert.Equal(0, x));
        Assert.Null(b.Value);
    }
}
