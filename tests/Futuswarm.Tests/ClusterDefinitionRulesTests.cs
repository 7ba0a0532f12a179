using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Each rule of the definition, broken alone: its code, the field path it names, and what the message tells ops.</summary>
public class ClusterDefinitionRulesTests
{
    const string Invalid = ErrorCodes.ClusterDefinitionInvalid;
    // Made at run time from a random body: no key material, nor anything shaped like one, is in the repository.
    static readonly string PrivateKey = $"-----BEGIN OPENSSH {"PRIVATE"} KEY-----\\n{Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\\n-----END OPENSSH {"PRIVATE"} KEY-----";

    [Theory]
    // name
    [InlineData("name", null, "name", "is missing")]
    [InlineData("name", "\"Prod\"", "name", "not a DNS label")]
    [InlineData("name", "\"prod-\"", "name", "not a DNS label")]
    [InlineData("name", "\"pr--od\"", "name", "RDS identifiers refuse")]
    [InlineData("name", "\"a23456789012345678901\"", "name", "at most 20")]
    [InlineData("name", "\"\"", "name", "it is empty")]
    [InlineData("name", "7", "name", "must be a string in quotes (\"7\"), not a number")]
    // region
    [InlineData("region", "\"eu-west-1a\"", "region", "the region is 'eu-west-1'")]
    [InlineData("region", "\"Europe\"", "region", "not an AWS region code")]
    // baseDomain
    [InlineData("baseDomain", "\"*.apps.example.com\"", "baseDomain", "without the wildcard ('apps.example.com')")]
    [InlineData("baseDomain", "\"https://apps.example.com\"", "baseDomain", "is a URL")]
    [InlineData("baseDomain", "\"Apps.Example.com\"", "baseDomain", "lower case ('apps.example.com')")]
    [InlineData("baseDomain", "\"apps.example.com.\"", "baseDomain", "trailing dot")]
    [InlineData("baseDomain", "\"localhost\"", "baseDomain", "single label")]
    [InlineData("baseDomain", "\"apps_x.example.com\"", "baseDomain", "not a DNS name")]
    // adminCidrs and deployerCidrs
    [InlineData("adminCidrs", null, "adminCidrs", "is missing; give the networks that may SSH")]
    [InlineData("adminCidrs", "[]", "adminCidrs", "is empty")]
    [InlineData("adminCidrs", "\"203.0.113.0/24\"", "adminCidrs", "must be a list")]
    [InlineData("adminCidrs", "[\"10.0.0.1/8\"]", "adminCidrs[0]", "host bits set after /8; write 10.0.0.0/8")]
    [InlineData("adminCidrs", "[\"203.0.113.7\"]", "adminCidrs[0]", "write 203.0.113.7/32")]
    [InlineData("adminCidrs", "[\"2001:db8::1\"]", "adminCidrs[0]", "write 2001:db8::1/128")]
    [InlineData("adminCidrs", "[\"1.2.3/24\"]", "adminCidrs[0]", "not a CIDR block")]
    [InlineData("adminCidrs", "[\"2001:db8:10::/48\"]", "adminCidrs[0]", "is IPv6; the cluster's network is IPv4-only")]
    [InlineData("deployerCidrs", "[\"::/0\"]", "deployerCidrs[0]", "is IPv6; the cluster's network is IPv4-only")]
    [InlineData("adminCidrs", "[\"10.0.0.0/33\"]", "adminCidrs[0]", "prefix longer than 32")]
    [InlineData("adminCidrs", "[\"10.0.0.0/8\", \"10.0.0.0/8\"]", "adminCidrs[1]", "listed twice (also adminCidrs[0])")]
    [InlineData("deployerCidrs", null, "deployerCidrs", "is missing")]
    [InlineData("deployerCidrs", "[\"office\"]", "deployerCidrs[0]", "not a CIDR block")]
    [InlineData("allowSshFromAnywhere", "\"yes\"", "allowSshFromAnywhere", "must be true or false")]
    // firstAdmins
    [InlineData("firstAdmins", "[]", "firstAdmins", "without an admin nobody can manage")]
    [InlineData("firstAdmins", "[{\"name\": \"Alice\", \"keys\": [\"" + DefinitionText.AliceKey + "\"]}]", "firstAdmins[0].name", "not a user name")]
    [InlineData("firstAdmins", "[{\"name\": \"alice\"}]", "firstAdmins[0].keys", "is missing")]
    [InlineData("firstAdmins", "[{\"name\": \"alice\", \"keys\": []}]", "firstAdmins[0].keys", "at least one")]
    [InlineData("firstAdmins", "[{\"name\": \"alice\", \"keys\": [\"ssh-ed25519 not-base64!\"]}]", "firstAdmins[0].keys[0]", "not an OpenSSH public key")]
    [InlineData("firstAdmins", "[{\"name\": \"alice\", \"keys\": [\"" + DefinitionText.AliceKey + "\"]}, {\"name\": \"bob\", \"keys\": [\"" + DefinitionText.AliceKey + "\"]}]", "firstAdmins[1].keys[0]", "already firstAdmins[0].keys[0]; one key identifies one user")]
    [InlineData("firstAdmins", "[{\"name\": \"alice\", \"keys\": [\"" + DefinitionText.AliceKey + "\"]}, {\"name\": \"alice\", \"keys\": [\"" + DefinitionText.BobKey + "\"]}]", "firstAdmins[1].name", "already firstAdmins[0]")]
    [InlineData("firstAdmins", "[\"alice\"]", "firstAdmins[0]", "must be an object")]
    // nodeGroups
    [InlineData("nodeGroups", null, "nodeGroups", "is missing")]
    [InlineData("nodeGroups.workers", null, "nodeGroups.workers", "is missing")]
    [InlineData("nodeGroups.managers.count", null, "nodeGroups.managers.count", "is missing")]
    [InlineData("nodeGroups.managers.count", "2", "nodeGroups.managers.count", "must be 1 or 3, not 2: the swarm's raft")]
    [InlineData("nodeGroups.managers.count", "5", "nodeGroups.managers.count", "must be 1 or 3, not 5")]
    [InlineData("nodeGroups.managers.count", "0", "nodeGroups.managers.count", "must be 1 or 3, not 0")]
    [InlineData("nodeGroups.managers.count", "\"3\"", "nodeGroups.managers.count", "write 3 without quotes")]
    [InlineData("nodeGroups.managers.count", "1.5", "nodeGroups.managers.count", "must be a whole number, not 1.5")]
    [InlineData("nodeGroups.managers.diskGb", "10", "nodeGroups.managers.diskGb", "must be 20 to 16384, not 10")]
    [InlineData("nodeGroups.managers.instanceType", "\"db.t3.micro\"", "nodeGroups.managers.instanceType", "is an RDS class")]
    [InlineData("nodeGroups.workers.count", "-1", "nodeGroups.workers.count", "must be at least 0, not -1")]
    [InlineData("nodeGroups.workers.count", "101", "nodeGroups.workers.count", "must be 0 to 100, not 101")]
    [InlineData("nodeGroups.workers.diskGb", "20000", "nodeGroups.workers.diskGb", "must be 20 to 16384")]
    [InlineData("nodeGroups.workers.instanceType", "\"large\"", "nodeGroups.workers.instanceType", "not an EC2 instance type")]
    [InlineData("nodeGroups.workers.labels", "[\"tier\"]", "nodeGroups.workers.labels", "must be an object of names and values")]
    [InlineData("nodeGroups.workers.labels", "{\"tier\": 3}", "nodeGroups.workers.labels.tier", "must be a string")]
    [InlineData("nodeGroups.workers.labels", "{\"Tier\": \"a\"}", "nodeGroups.workers.labels.Tier", "not a label key")]
    [InlineData("nodeGroups.workers.labels", "{\"com.docker.x\": \"a\"}", "nodeGroups.workers.labels[\"com.docker.x\"]", "reserved (Docker's own)")]
    [InlineData("nodeGroups.workers.labels", "{\"futuswarm.role\": \"a\"}", "nodeGroups.workers.labels[\"futuswarm.role\"]", "Futuswarm sets them itself")]
    // database
    [InlineData("database", "\"postgres\"", "database", "must be an object")]
    [InlineData("database.engine", "\"mysql\"", "database.engine", "the only engine is \"postgres\"")]
    [InlineData("database.engineVersion", "\"9.6\"", "database.engineVersion", "past its end of life")]
    [InlineData("database.engineVersion", "\"16.x\"", "database.engineVersion", "not a PostgreSQL version")]
    [InlineData("database.engineVersion", "16", "database.engineVersion", "must be a string in quotes (\"16\")")]
    [InlineData("database.instanceClass", "\"t4g.micro\"", "database.instanceClass", "(\"db.t4g.micro\")")]
    [InlineData("database.instanceClass", "\"small\"", "database.instanceClass", "not an RDS instance class")]
    [InlineData("database.allocatedStorageGb", "10", "database.allocatedStorageGb", "must be 20 to 65536, not 10")]
    [InlineData("database.allocatedStorageGb", "70000", "database.allocatedStorageGb", "must be 20 to 65536")]
    [InlineData("database.backupRetentionDays", "0", "database.backupRetentionDays", "must be 1 to 35, not 0")]
    [InlineData("database.backupRetentionDays", "36", "database.backupRetentionDays", "must be 1 to 35, not 36")]
    [InlineData("database.multiAz", "1", "database.multiAz", "must be true or false")]
    // registry
    [InlineData("registry.server", "\"https://ghcr.io/\"", "registry.server", "without the scheme ('ghcr.io')")]
    [InlineData("registry.server", "\"registry.example.com:99999\"", "registry.server", "port outside 1-65535")]
    [InlineData("registry.server", "\"Registry Example\"", "registry.server", "not a registry host")]
    [InlineData("registry.pullCredentials", "\"robot:s3cret\"", "registry.pullCredentials", "looks like the credentials themselves")]
    [InlineData("registry.pullCredentials", "{\"username\": \"robot\"}", "registry.pullCredentials", "must be a string")]
    [InlineData("registry.pullCredentials", "\".hidden\"", "registry.pullCredentials", "not a secret name")]
    // apiPort and availabilityZones
    [InlineData("apiPort", "22", "apiPort", "22 is taken (")]
    [InlineData("apiPort", "2377", "apiPort", "2377 is taken (")]
    [InlineData("apiPort", "5432", "apiPort", "5432 is taken (")]
    [InlineData("apiPort", "0", "apiPort", "must be 1 to 65535, not 0")]
    [InlineData("apiPort", "70000", "apiPort", "must be 1 to 65535, not 70000")]
    [InlineData("availabilityZones", "1", "availabilityZones", "must be 2 to 6, not 1: the load balancer and the database subnet group need two zones")]
    [InlineData("availabilityZones", "7", "availabilityZones", "must be 2 to 6, not 7")]
    // vpcCidr
    [InlineData("vpcCidr", "\"203.0.113.0/24\"", "vpcCidr", "is not private")]
    [InlineData("vpcCidr", "\"10.0.0.0/8\"", "vpcCidr", "/8 is outside /16 to /24")]
    [InlineData("vpcCidr", "\"10.42.0.0/26\"", "vpcCidr", "/26 is outside /16 to /24")]
    [InlineData("vpcCidr", "\"fd00::/48\"", "vpcCidr", "is IPv6")]
    [InlineData("vpcCidr", "\"10.42.0.1/16\"", "vpcCidr", "host bits set")]
    public void ABrokenRuleIsInvalidAndNamesTheField(string field, string? json, string path, string message)
    {
        var e = DefinitionText.Fails(DefinitionText.With(field, json));

        var p = Assert.Single(e.Problems);
        Assert.Equal((Invalid, path), (p.Code, p.Path));
        Assert.Contains(message, p.Message);
        Assert.NotNull(p.At);
        Assert.Equal(Invalid, e.Code);
    }

    [Fact]
    public void APrivateKeyGivenAsAnAdminKeyIsRefused() =>
        ABrokenRuleIsInvalidAndNamesTheField("firstAdmins", "[{\"name\": \"alice\", \"keys\": [\"" + PrivateKey + "\"]}]", "firstAdmins[0].keys[0]", "PRIVATE key");

    [Theory]
    [InlineData("[\"0.0.0.0/0\"]")]
    [InlineData("[\"203.0.113.0/24\", \"0.0.0.0/0\"]")]
    public void SshOpenToTheWorldIsRefusedWithoutTheOptIn(string cidrs)
    {
        var e = DefinitionText.Fails(DefinitionText.With("adminCidrs", cidrs));

        var p = Assert.Single(e.Problems);
        Assert.Equal(ErrorCodes.SshOpenToWorld, e.Code);
        Assert.StartsWith("adminCidrs[", p.Path);
        Assert.Contains("\"allowSshFromAnywhere\": true", p.Message);
    }

    [Fact]
    public void TheOptInMustBeTrueNotJustPresent()
    {
        var root = DefinitionText.Minimal();
        root["adminCidrs"] = new System.Text.Json.Nodes.JsonArray("0.0.0.0/0");
        root["allowSshFromAnywhere"] = false;
        Assert.Equal(ErrorCodes.SshOpenToWorld, DefinitionText.Fails(root.ToJsonString()).Code);
    }

    [Theory]
    [InlineData("eu-west-1")]
    [InlineData("us-east-2")]
    [InlineData("ap-southeast-2")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-north-1")]
    [InlineData("il-central-1")]
    public void RealRegionsPass(string region) => Assert.Null(DefinitionRules.CheckRegion(region));

    [Theory]
    [InlineData("t3.medium")]
    [InlineData("m7g.large")]
    [InlineData("c5d.18xlarge")]
    [InlineData("u-6tb1.metal")]
    public void RealInstanceTypesPass(string type) => Assert.Null(DefinitionRules.CheckInstanceType(type));

    [Theory]
    [InlineData("docker.io")]
    [InlineData("ghcr.io")]
    [InlineData("registry.example.com:5000")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com")]
    public void RealRegistryHostsPass(string server) => Assert.Null(DefinitionRules.CheckRegistryServer(server));

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("198.51.100.7/32", "198.51.100.7/32")]
    [InlineData("::/0", "::/0")]
    public void CidrsAreKeptInCanonicalForm(string text, string canonical)
    {
        Assert.Null(CidrRule.TryParse(text, out var network));
        Assert.Equal(canonical, network.ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/08")] // a leading zero is more likely a typo than a prefix
    [InlineData("10.0.0.0/")]
    [InlineData("fe80::1%eth0/128")]
    [InlineData("010.0.0.0/8")]
    public void LooseCidrsAreRefused(string text) => Assert.NotNull(CidrRule.TryParse(text, out _));

    [Fact]
    public void TheLongestAllowedNameAndBaseDomainLoad()
    {
        var name = "a" + new string('1', DefinitionLimits.MaxNameLength - 1);
        var label = new string('x', 63);
        var domain = $"{label}.{label}.{label}.{new string('y', 8)}.example.com";
        Assert.Equal(DefinitionLimits.MaxBaseDomainLength, domain.Length);

        var text = DefinitionText.With("name", $"\"{name}\"").Replace("apps.example.com", domain);

        var d = ClusterDefinitionLoader.Parse(text, "test.json");
        Assert.Equal((name, domain), (d.Name, d.BaseDomain));
        Assert.Contains("at most 212", DefinitionRules.CheckBaseDomain("y" + domain));
    }
}
