using System.Text;
using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The secrets and config wire: values never printed, unknown fields refused, list answers round-trip.</summary>
public class SecretWireTests
{
    private const string Secret = "sk_live_Plaintext-Must-Never-Appear-0123456789";
    private static readonly byte[] Value = Encoding.UTF8.GetBytes(Secret);
    private static readonly DateTimeOffset T = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Every form in which the value's bytes could show up in text.</summary>
    private static void HasNoValue(string text)
    {
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain(Convert.ToBase64String(Value), text);
        Assert.DoesNotContain(Convert.ToBase64String(Value)[..16], text);
        Assert.DoesNotContain(Convert.ToHexString(Value), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(string.Join(", ", Value), text); // how a collection printer would show the bytes
    }

    // ---- ToString ----

    [Fact]
    public void SecretInputToStringHidesTheValue()
    {
        var input = new SecretInput { Name = "Stripe__ApiKey", Value = Value };
        var text = input.ToString();
        HasNoValue(text);
        Assert.Contains("Stripe__ApiKey", text);
        Assert.Contains("(hidden)", text);
        Assert.Contains("none", new SecretInput { Name = "A" }.ToString());
        HasNoValue($"{input}");
        HasNoValue(string.Join(";", new[] { input }));
    }

    [Fact]
    public void RequestsCarryingSecretsDoNotPrintThem()
    {
        var input = new SecretInput { Name = "Stripe__ApiKey", Value = Value };
        HasNoValue(new SecretSetRequest { Protocol = 1, Service = "shop", Secrets = [input] }.ToString());
        HasNoValue(new DeployRequest { Protocol = 1, Service = "shop", ContentKey = "k", Spec = new ServiceSettings(), Secrets = [input] }.ToString());
    }

    [Fact]
    public void AFingerprintOnlyInputPrintsNoValue()
    {
        var text = new SecretInput { Name = "A", Fingerprint = "hmac-sha256:00ff" }.ToString();
        Assert.Contains("none", text);
    }

    // ---- Strict requests ----

    [Fact]
    public void SecretSetRequestRoundTripsAndRejectsUnknownFields()
    {
        var json = JsonSerializer.Serialize(new SecretSetRequest
        {
            Protocol = 1, Service = "shop", TimeoutSeconds = 60,
            Secrets = [new SecretInput { Name = "A", Value = Value }, new SecretInput { Name = "B", Fingerprint = "hmac-sha256:00" }, new SecretInput { Name = "C" }],
        }, Wire.Json);
        var back = JsonSerializer.Deserialize<SecretSetRequest>(json, Wire.Json)!;
        Assert.Equal("shop", back.Service);
        Assert.Equal(60, back.TimeoutSeconds);
        Assert.Equal(Value, back.Secrets[0].Value);
        Assert.Null(back.Secrets[0].Fingerprint);
        Assert.Equal("hmac-sha256:00", back.Secrets[1].Fingerprint);
        Assert.Null(back.Secrets[1].Value);
        Assert.Null(back.Secrets[2].Value);
        Assert.Null(back.Secrets[2].Fingerprint);
        // Values go as base64, not as a plain string.
        Assert.DoesNotContain(Secret, json);
        Assert.Contains(Convert.ToBase64String(Value), json);

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<SecretSetRequest>(
            """{"protocol":1,"service":"s","secrets":[],"overwrite":true}""", Wire.Json));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<SecretSetRequest>(
            """{"protocol":1,"service":"s","secrets":[{"name":"A","value":"eA==","plain":"x"}]}""", Wire.Json));
    }

    [Theory]
    [InlineData("""{"service":"s","secrets":[]}""")]
    [InlineData("""{"protocol":1,"secrets":[]}""")]
    [InlineData("""{"protocol":1,"service":"s"}""")]
    [InlineData("""{"protocol":1,"service":"s","secrets":[{"value":"eA=="}]}""")]
    public void SecretSetRequestRequiresItsFields(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<SecretSetRequest>(json, Wire.Json));

    [Fact]
    public void RemoveRequestRejectsUnknownFields()
    {
        var ok = JsonSerializer.Deserialize<RemoveRequest>("""{"protocol":1,"service":"s","names":["A","B"]}""", Wire.Json)!;
        Assert.Equal(["A", "B"], ok.Names);
        Assert.Equal(300, ok.TimeoutSeconds);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<RemoveRequest>("""{"protocol":1,"service":"s","names":["A"],"all":true}""", Wire.Json));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<RemoveRequest>("""{"protocol":1,"service":"s"}""", Wire.Json));
    }

    [Fact]
    public void ConfigSetRequestRejectsUnknownFields()
    {
        var ok = JsonSerializer.Deserialize<ConfigSetRequest>("""{"protocol":1,"service":"s","values":{"LOG_LEVEL":"Debug"},"timeoutSeconds":30}""", Wire.Json)!;
        Assert.Equal("Debug", ok.Values["LOG_LEVEL"]);
        Assert.Equal(30, ok.TimeoutSeconds);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ConfigSetRequest>("""{"protocol":1,"service":"s","values":{},"secret":true}""", Wire.Json));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ConfigSetRequest>("""{"protocol":1,"service":"s"}""", Wire.Json));
    }

    [Fact]
    public void TheNewVerbsAreKnown()
    {
        foreach (var verb in new[] { "secret-set", "secret-list", "secret-remove", "config-set", "config-unset", "config-list" })
            Assert.Contains(verb, Wire.Verbs.All);
        Assert.Equal(Wire.Verbs.All.Length, Wire.Verbs.All.Distinct().Count());
    }

    // ---- Answers ----

    [Fact]
    public void ListAnswersRoundTripLeniently()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var line = new ResponseLine
        {
            Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Listed, Service = "shop",
            Secrets = [new SecretInfo { Name = "Stripe__ApiKey", Version = "01JAAAAAAAAAAAAAAAAAAAAAAA", SetAt = T, SetBy = "alice", Fingerprint = "hmac-sha256:ab", Versions = 3 }],
            FingerprintKey = key,
            Config =
            [
                new ConfigInfo { Name = "LOG_LEVEL", Value = "Debug", Source = "cluster" },
                new ConfigInfo { Name = "LOG_LEVEL", Value = "Information", Source = "project", Effective = false },
            ],
        };
        var json = JsonSerializer.Serialize(line, Wire.Json);
        var back = JsonSerializer.Deserialize<ResponseLine>(json, Wire.LenientJson)!;

        Assert.Equal("listed", back.Outcome);
        var s = Assert.Single(back.Secrets!);
        Assert.Equal(line.Secrets[0], s);
        Assert.Equal(key, back.FingerprintKey);
        Assert.Equal(line.Config, back.Config);
        Assert.True(back.Config![0].Effective);
        Assert.False(back.Config[1].Effective);
        Assert.Equal(json, JsonSerializer.Serialize(back, Wire.Json));

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(Convert.ToBase64String(key), doc.RootElement.GetProperty("fingerprintKey").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("secrets")[0].GetProperty("versions").GetInt32());
    }

    [Fact]
    public void ListAnswersFromANewerManagerAreRead()
    {
        const string line = """
            {"type":"result","outcome":"listed","service":"shop","secrets":[{"name":"A","version":"01J","setAt":"2025-01-02T03:04:05+00:00","setBy":"bob","fingerprint":"hmac-sha256:00","versions":1,"expires":"never"}],
             "config":[{"name":"X","value":"1","source":"cluster","effective":true,"note":"new"}],"fingerprintKey":"AAEC","later":1}
            """;
        var back = JsonSerializer.Deserialize<ResponseLine>(line, Wire.LenientJson)!;
        Assert.Equal("bob", back.Secrets![0].SetBy);
        Assert.Equal(T, back.Secrets[0].SetAt);
        Assert.Equal("1", back.Config![0].Value);
        Assert.Equal(new byte[] { 0, 1, 2 }, back.FingerprintKey);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ResponseLine>(line, Wire.Json));
    }

    [Fact]
    public void AnswersWithoutSecretsOrConfigOmitTheFields()
    {
        var json = JsonSerializer.Serialize(new ResponseLine { Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Stored, Service = "shop" }, Wire.Json);
        Assert.DoesNotContain("secrets", json);
        Assert.DoesNotContain("fingerprintKey", json);
        Assert.DoesNotContain("config", json);
    }

    [Fact]
    public void SecretInfoHasNoValueField()
    {
        var json = JsonSerializer.Serialize(new SecretInfo { Name = "A", Version = "01J", SetAt = T, SetBy = "a", Fingerprint = "hmac-sha256:00" }, Wire.Json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["name", "version", "setAt", "setBy", "fingerprint", "versions"], doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    // ---- Validation messages ----

    [Fact]
    public void CheckSecretValueNamesTheSizeNotTheValue()
    {
        Assert.Null(Validation.CheckSecretValue("A", 1));
        Assert.Null(Validation.CheckSecretValue("A", Validation.MaxSecretBytes));
        var empty = Validation.CheckSecretValue("Stripe__ApiKey", 0);
        var big = Validation.CheckSecretValue("Stripe__ApiKey", Validation.MaxSecretBytes + 1);
        Assert.NotNull(empty);
        Assert.NotNull(big);
        Assert.Contains("Stripe__ApiKey", big);
        Assert.Contains("500", big);
        HasNoValue(empty);
        HasNoValue(big);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void CheckSecretNameRefusesNonFileNames(string name)
    {
        var reason = Validation.CheckSecretName(name);
        Assert.NotNull(reason);
        HasNoValue(reason);
    }

    [Fact]
    public void CheckSecretNameLimitsTheLength()
    {
        Assert.Null(Validation.CheckSecretName(new string('a', Validation.MaxSecretNameLength)));
        Assert.NotNull(Validation.CheckSecretName(new string('a', Validation.MaxSecretNameLength + 1)));
        Assert.NotNull(Validation.CheckSecretName(null));
    }

    [Fact]
    public void FingerprintsAreKeyedHmacs()
    {
        var key = new byte[32];
        var other = new byte[32];
        other[0] = 1;
        var fp = SecretFingerprint.Compute(key, Value);
        Assert.Matches("^hmac-sha256:[0-9a-f]{64}$", fp);
        Assert.Equal(fp, SecretFingerprint.Compute(key, Value));
        Assert.NotEqual(fp, SecretFingerprint.Compute(other, Value));
        Assert.NotEqual(fp, SecretFingerprint.Compute(key, Encoding.UTF8.GetBytes(Secret + "x")));
        Assert.Equal("hmac-sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, Value)), fp);
        HasNoValue(fp);
    }
}
