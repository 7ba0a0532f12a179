using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The admins' EC2 key pair and the wildcard ACM certificate against the fakes: provision, converge, drift, partial failure, destroy.</summary>
public class ProvisioningAccessTests
{
    private const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICwh+35uUbojKaNburipr1MJmyHg9EHLUpaBZqTTCMgY admin@example";
    private const string AdminFingerprint = "DgLOEyhlLtnCE2mlcod/LWIBE2HnVcsaDfVu2I6oaAs"; // ssh-keygen -l
    private const string OtherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGlxK8v7nvTqMosYgfgbTfWMpPGW+rd2RdNqg4cmGDO2 other@example";
    private const string RsaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC++/wMrWK9Gu3jXAW0RAkKN2WOsXwEg7hbA/lg5KCUEHTDsqkH9QmwmQI2xMdF4gBCSFzdBYWdNCbIdhdL8yWOec6w1M9h9ehdkgP7zEr0CosDYiRbGvU6TEuFQzJgCN3YRGCt0xAN2sFgzdsiDolAThbTWUbeR+QV5rV6Wh7RTYFQ8yIfecSNCaGqUVr9kD087C5ZbdT9+7uSL+K4ImOsx4knIMcTJyi7S9ZMmpjoaj/WoCoKPbzd1yPPdnOogwJ7ZqCd3+SclK3L/RSCT4vE9Qlrc51DWZXanpXwkCjIwufTBJStPCB8INgHID09RZACLOEhTV+jqzUxPo9xnss7 ops";

    private static readonly AccessSpec Spec = new("demo", "apps.example.com", AdminKey);

    private readonly FakeKeyPairs _ec2 = new();
    private readonly FakeAcmCloud _acm = new();
    private readonly List<string> _log = [];

    private ProvisionContext Ctx() => new("demo", WaitOptions.Immediate, log: _log.Add);

    private Reconciler Layer(AccessSpec? spec) => AccessLayer.For(_ec2, _acm, _acm, spec ?? Spec);
    private Task<Plan> ApplyAsync(AccessSpec? spec = null) => Layer(spec).ApplyAsync(Ctx(), CancellationToken.None);
    private Task<Plan> PlanAsync(AccessSpec? spec = null) => Layer(spec).PlanAsync(Ctx(), CancellationToken.None);
    private Task<Plan> DestroyAsync() => Layer(null).DestroyAsync(Ctx(), CancellationToken.None);

    private IReadOnlyList<string> Mutations => [.. _ec2.Calls.Select(c => c.ToString()), .. _acm.Calls.Select(c => c.ToString())];

    private void ResetCalls()
    {
        _ec2.ResetCalls();
        _acm.ResetCalls();
        _log.Clear();
    }

    private static readonly string Record = $"{FakeAcmCloud.RecordFor("apps.example.com").Name} CNAME {FakeAcmCloud.RecordFor("apps.example.com").Value}";

    [Fact]
    public void FingerprintsAreEc2s()
    {
        Assert.Equal(AdminFingerprint, KeyFingerprint.Of(AdminKey));
        Assert.True(KeyFingerprint.Same("SHA256:" + AdminFingerprint, AdminFingerprint + "="));
        // RSA: MD5 of the DER SubjectPublicKeyInfo (ssh-keygen -e -m PKCS8 | openssl pkey -pubin -outform DER | openssl md5 -c).
        Assert.Equal("6c:d8:01:fe:58:59:28:08:97:65:95:ba:d2:b4:9b:26", KeyFingerprint.Of(RsaKey));
        Assert.Throws<FormatException>(() => KeyFingerprint.Of("ecdsa-sha2-nistp256 AAAA"));
    }

    [Fact]
    public async Task FullProvisionFromNothing()
    {
        var applied = await ApplyAsync();

        Assert.Equal(2, applied.Count(ChangeAction.Create));
        Assert.Equal(["ImportKeyPair futuswarm-demo", "RequestCertificate *.apps.example.com"], Mutations);

        var pair = _ec2.KeyPairs.Single();
        Assert.Equal("futuswarm-demo", pair.KeyName);
        Assert.True(KeyFingerprint.Same(AdminFingerprint, pair.Fingerprint));
        Assert.Equal("demo", pair.Tags["futuswarm:cluster"]);
        Assert.Equal("key-pair", pair.Tags["futuswarm:role"]);

        var (arn, domain) = _acm.Certificates.Single();
        Assert.Equal("*.apps.example.com", domain);
        var cert = (await _acm.DescribeCertificateAsync(arn, default))!;
        Assert.Equal(["*.apps.example.com", "apps.example.com"], cert.SubjectAlternativeNames);
        Assert.All(cert.DomainValidationOptions, v => Assert.Equal("DNS", v.ValidationMethod));
        var tags = await _acm.ListTagsForCertificateAsync(arn, default);
        Assert.Equal("demo", tags["futuswarm:cluster"]);
        Assert.Equal("certificate[apps.example.com]", tags["futuswarm:role"]);

        // The operator is told which record to create (one: the wildcard and the apex share it).
        Assert.Contains("    " + Record, _log);
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCall()
    {
        await ApplyAsync();
        ResetCalls();

        Assert.True((await PlanAsync()).IsEmpty);
        Assert.True((await ApplyAsync()).IsEmpty);
        Assert.Empty(Mutations);
        Assert.True(_ec2.ReadCount > 0 && _acm.ReadCount > 0);
        // Still pending: every run prints the records again.
        Assert.Contains("    " + Record, _log);
    }

    [Fact]
    public async Task IssuedCertificatePrintsNoRecords()
    {
        await ApplyAsync();
        _acm.Issue(_acm.Certificates.Single().Arn);
        ResetCalls();

        Assert.True((await PlanAsync()).IsEmpty);
        Assert.DoesNotContain(_log, l => l.Contains("CNAME"));
    }

    [Fact]
    public async Task AnotherKeyMaterialIsReplaced()
    {
        await ApplyAsync();
        var old = _ec2.KeyPairs.Single();
        ResetCalls();
        // Someone imported another key under the cluster's name.
        _ec2.Seed("futuswarm-demo", OtherKey, new Dictionary<string, string> { ["futuswarm:cluster"] = "demo" });
        var seeded = _ec2.KeyPairs.Single();

        var plan = await PlanAsync();
        var change = plan.Changes.Single();
        Assert.Equal(ChangeAction.Replace, change.Action);
        Assert.Contains("EC2 cannot change a key pair's key", change.Reason);

        await ApplyAsync();
        Assert.Equal([$"DeleteKeyPair {seeded.KeyPairId}", "ImportKeyPair futuswarm-demo"], Mutations);
        Assert.True(KeyFingerprint.Same(AdminFingerprint, _ec2.KeyPairs.Single().Fingerprint));
        Assert.NotEqual(old.KeyPairId, _ec2.KeyPairs.Single().KeyPairId);
        Assert.Equal("key-pair", _ec2.KeyPairs.Single().Tags["futuswarm:role"]);
    }

    [Fact]
    public async Task EditedKeyPairTagsArePutBack()
    {
        await ApplyAsync();
        _ec2.SetTags("futuswarm-demo", new Dictionary<string, string> { ["futuswarm:cluster"] = "demo" });
        ResetCalls();

        await ApplyAsync();
        Assert.Equal([$"CreateTags {_ec2.KeyPairs.Single().KeyPairId}"], Mutations);
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task ChangedBaseDomainRequestsTheNewCertificateThenDeletesTheOld()
    {
        await ApplyAsync();
        var old = _acm.Certificates.Single().Arn;
        ResetCalls();
        var moved = Spec with { BaseDomain = "swarm.example.org" };

        var plan = await PlanAsync(moved);
        Assert.Equal(["+ certificate[swarm.example.org]", "- certificate[apps.example.com]"],
            plan.Changes.Select(c => $"{c.Symbol} {c.Address}"));
        Assert.Contains("requested first and the old one deleted after it", plan.Changes[0].Reason);

        await ApplyAsync(moved);
        Assert.Equal(["RequestCertificate *.swarm.example.org", $"DeleteCertificate {old}"], Mutations);
        Assert.Equal("*.swarm.example.org", _acm.Certificates.Single().DomainName);
        Assert.True((await PlanAsync(moved)).IsEmpty);
    }

    [Fact]
    public async Task OldCertificateInUseIsNotDeleted()
    {
        await ApplyAsync();
        var old = _acm.Certificates.Single().Arn;
        _acm.Use(old, "arn:aws:elasticloadbalancing:eu-north-1:123456789012:loadbalancer/app/demo/1");
        var moved = Spec with { BaseDomain = "swarm.example.org" };

        var e = await Assert.ThrowsAsync<FswException>(() => ApplyAsync(moved));
        Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
        Assert.Contains("ResourceInUseException", e.Message);
        Assert.Equal(2, _acm.Certificates.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task InjectedFailureThenRerunWithoutDuplicates(int failAt)
    {
        // 1: ImportKeyPair fails (nothing made); 2: RequestCertificate fails after the key pair exists.
        if (failAt == 1) _ec2.FailMutatingCall(1); else _acm.FailMutatingCall(1);

        var e = await Assert.ThrowsAsync<FswException>(() => ApplyAsync());
        Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
        Assert.Contains("injected failure", e.Message);

        await ApplyAsync();
        Assert.Single(_ec2.KeyPairs);
        Assert.Single(_acm.Certificates);
        Assert.Equal(1, _ec2.CallNames.Count(n => n == "ImportKeyPair") - (failAt == 1 ? 1 : 0));
        ResetCalls();
        Assert.True((await ApplyAsync()).IsEmpty);
        Assert.Empty(Mutations);
    }

    [Fact]
    public async Task FailedDeleteOfTheOldCertificateIsRetriedAlone()
    {
        await ApplyAsync();
        var old = _acm.Certificates.Single().Arn;
        var moved = Spec with { BaseDomain = "swarm.example.org" };
        _acm.FailMutatingCall(2);

        await Assert.ThrowsAsync<FswException>(() => ApplyAsync(moved));
        ResetCalls();
        await ApplyAsync(moved);

        Assert.Equal([$"DeleteCertificate {old}"], Mutations);
        Assert.Equal("*.swarm.example.org", _acm.Certificates.Single().DomainName);
    }

    [Fact]
    public async Task RetriedRequestAnswersTheSameCertificate()
    {
        var token = Spec.IdempotencyToken;
        Assert.Matches("^[a-z0-9]{32}$", token);
        var tags = new Dictionary<string, string> { ["futuswarm:cluster"] = "demo" };
        var a = await _acm.RequestCertificateAsync(Futuswarm.Cluster.Provisioning.Aws.AcmCertificateRequest.Wildcard("apps.example.com", token, tags), default);
        var b = await _acm.RequestCertificateAsync(Futuswarm.Cluster.Provisioning.Aws.AcmCertificateRequest.Wildcard("apps.example.com", token, tags), default);
        Assert.Equal(a, b);
        Assert.NotEqual(token, (Spec with { BaseDomain = "x.example.com" }).IdempotencyToken);
    }

    [Fact]
    public async Task DestroyDeletesBoth()
    {
        await ApplyAsync();
        var arn = _acm.Certificates.Single().Arn;
        var id = _ec2.KeyPairs.Single().KeyPairId;
        ResetCalls();

        var destroyed = await DestroyAsync();
        Assert.Equal(2, destroyed.Count(ChangeAction.Delete));
        Assert.Equal([$"DeleteKeyPair {id}", $"DeleteCertificate {arn}"], Mutations);
        Assert.Empty(_ec2.KeyPairs);
        Assert.Empty(_acm.Certificates);

        ResetCalls();
        Assert.True((await DestroyAsync()).IsEmpty);
        Assert.Empty(Mutations);
    }

    [Fact]
    public async Task PlanAndApplyTextWithValidationRecords()
    {
        var plan = await PlanAsync();
        Assert.Equal("""
            Cluster "demo": 2 to create, 0 to update, 0 to replace, 0 to delete.

            + key-pair  # not found
                + name: futuswarm-demo
                + fingerprint: DgLOEyhlLtnCE2mlcod/LWIBE2HnVcsaDfVu2I6oaAs

            + certificate[apps.example.com]  # not found
                + domain: *.apps.example.com
                + san: apps.example.com
                + validation: DNS (CNAME records printed once ACM returns them)

            """.ReplaceLineEndings("\n"), plan.ToText());

        _log.Clear();
        await ApplyAsync();
        var arn = _acm.Certificates.Single().Arn;
        var id = _ec2.KeyPairs.Single().KeyPairId;
        Assert.Equal(
        [
            "+ key-pair: not found",
            $"create key-pair {id}: futuswarm-demo {AdminFingerprint}=",
            "+ certificate[apps.example.com]: not found",
            $"create certificate[apps.example.com] {arn}: *.apps.example.com",
            "certificate[apps.example.com]: PENDING_VALIDATION; create these DNS records (name, type, value) for ACM's validation:",
            "    " + Record,
        ], _log);

        _log.Clear();
        Assert.True((await PlanAsync()).IsEmpty);
        Assert.Equal(
        [
            "certificate[apps.example.com]: PENDING_VALIDATION; create these DNS records (name, type, value) for ACM's validation:",
            "    " + Record,
        ], _log);
    }
}
