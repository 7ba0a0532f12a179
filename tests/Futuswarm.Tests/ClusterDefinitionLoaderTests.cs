using System.Net;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Definitions for the tests: the minimal one, changed one field at a time.</summary>
internal static class DefinitionText
{
    public const string AliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2bBZ1tGdd/tik/TD2uxuafVZB2izwecphDXc7bo2m/ alice@example.com";
    public const string BobKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICbzNm4nd2Er82owp3DHR6ISh6dFP2HE6fU1dBFTCToV bob@example.com";

    public static JsonObject Minimal() => new()
    {
        ["name"] = "prod",
        ["region"] = "eu-west-1",
        ["baseDomain"] = "apps.example.com",
        ["adminCidrs"] = new JsonArray("203.0.113.0/24"),
        ["deployerCidrs"] = new JsonArray("198.51.100.0/24"),
        ["firstAdmins"] = new JsonArray(new JsonObject { ["name"] = "alice", ["keys"] = new JsonArray(AliceKey) }),
        ["nodeGroups"] = new JsonObject
        {
            ["managers"] = new JsonObject { ["count"] = 1 },
            ["workers"] = new JsonObject { ["count"] = 2 },
        },
    };

    /// <summary>The minimal definition with the field at a dotted path set (parents created), or removed when <paramref name="json"/> is null.</summary>
    public static string With(string path, string? json)
    {
        var root = Minimal();
        var parts = path.Split('.');
        JsonObject parent = root;
        foreach (var part in parts[..^1])
        {
            if (parent[part] is not JsonObject child) parent[part] = child = new JsonObject();
            parent = child;
        }
        if (json is null) parent.Remove(parts[^1]);
        else parent[parts[^1]] = JsonNode.Parse(json);
        return root.ToJsonString();
    }

    public static ClusterDefinitionException Fails(string text) =>
        Assert.Throws<ClusterDefinitionException>(() => ClusterDefinitionLoader.Parse(text, "test.json"));
}

public class ClusterDefinitionLoaderTests
{
    static string Example(string file) => Path.Combine(RepoRoot.Path, "docs", "examples", file);

    [Fact]
    public void TheCompleteExampleLoadsAsWritten()
    {
        var d = ClusterDefinitionLoader.Load(Example("cluster.json"));

        Assert.Equal("prod", d.Name);
        Assert.Equal("eu-west-1", d.Region);
        Assert.Equal("apps.example.com", d.BaseDomain);
        Assert.Equal(["203.0.113.0/24", "198.51.100.7/32"], d.AdminCidrs.Select(c => c.ToString()));
        Assert.False(d.AllowSshFromAnywhere);
        Assert.Equal(3, d.DeployerCidrs.Count);
        Assert.Equal(["alice", "bob"], d.FirstAdmins.Select(a => a.Name));
        Assert.Equal(2, d.FirstAdmins[0].Keys.Count);
        Assert.Equal(new NodeGroup(3, "t3.medium", 30, new Dictionary<string, string>()).Count, d.NodeGroups.Managers.Count);
        Assert.Equal("general", d.NodeGroups.Workers.Labels["tier"]);
        Assert.Equal(new DatabaseSettings("postgres", "16", "db.t4g.small", 50, 14, true), d.Database);
        Assert.Equal(new RegistrySettings("docker.io", "registry-dockerhub"), d.Registry);
        Assert.Equal(2222, d.ApiPort);
        Assert.Equal(3, d.AvailabilityZones);
        Assert.Equal("10.42.0.0/16", d.VpcCidr.ToString());
    }

    [Fact]
    public void TheMinimalExampleLoadsWithEveryDefaultFilledIn()
    {
        var d = ClusterDefinitionLoader.Load(Example("cluster-minimal.json"));

        Assert.False(d.AllowSshFromAnywhere);
        Assert.Equal(new NodeGroup(1, "t3.medium", 30, d.NodeGroups.Managers.Labels), d.NodeGroups.Managers);
        Assert.Empty(d.NodeGroups.Managers.Labels);
        Assert.Equal(new NodeGroup(2, "t3.large", 50, d.NodeGroups.Workers.Labels), d.NodeGroups.Workers);
        Assert.Equal(new DatabaseSettings("postgres", "16", "db.t4g.micro", 20, 7, false), d.Database);
        Assert.Equal(new RegistrySettings("docker.io", null), d.Registry);
        Assert.Equal(2222, d.ApiPort);
        Assert.Equal(2, d.AvailabilityZones);
        Assert.Equal(IPNetwork.Parse(DefinitionLimits.DefaultVpcCidr), d.VpcCidr);
    }

    [Fact]
    public void TheWrittenDefinitionSpellsOutTheDefaultsAndReadsBackTheSame()
    {
        var d = ClusterDefinitionLoader.Load(Example("cluster-minimal.json"));
        var json = ClusterDefinitionWriter.ToJson(d);

        Assert.Contains("\"apiPort\": 2222", json);
        Assert.Contains("\"instanceClass\": \"db.t4g.micro\"", json);
        Assert.Contains("\"allowSshFromAnywhere\": false", json);
        Assert.Contains("AAAAC3NzaC1lZDI1NTE5AAAAIL2bBZ1tGdd/tik/TD2uxuafVZB2izwecphDXc7bo2m/", json); // no \u002B-style escapes
        Assert.Equal(json, ClusterDefinitionWriter.ToJson(ClusterDefinitionLoader.Parse(json, "written.json")));
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        var text = """
            /* the staging cluster */
            {
              "name": "staging", // short: AWS names derive from it
              "region": "eu-north-1",
              "baseDomain": "staging.example.com",
              "adminCidrs": ["203.0.113.0/24",],
              "deployerCidrs": ["203.0.113.0/24"],
              "firstAdmins": [{ "name": "alice", "keys": ["KEY"], },],
              "nodeGroups": { "managers": { "count": 1 }, "workers": { "count": 0, }, },
            }
            """.Replace("KEY", DefinitionText.AliceKey);

        var d = ClusterDefinitionLoader.Parse(text, "staging.json");

        Assert.Equal("staging", d.Name);
        Assert.Equal(0, d.NodeGroups.Workers.Count);
    }

    [Fact]
    public void AJsonNullMeansNotGiven()
    {
        var d = ClusterDefinitionLoader.Parse(DefinitionText.With("apiPort", "null"), "test.json");
        Assert.Equal(2222, d.ApiPort);
    }

    [Fact]
    public void SshFromAnywhereLoadsOnlyWithTheExplicitOptIn()
    {
        var open = DefinitionText.Minimal();
        open["adminCidrs"] = new JsonArray("0.0.0.0/0");
        open["allowSshFromAnywhere"] = true;

        var d = ClusterDefinitionLoader.Parse(open.ToJsonString(), "test.json");

        Assert.True(d.AllowSshFromAnywhere);
        Assert.Equal([IPNetwork.Parse("0.0.0.0/0")], d.AdminCidrs);
    }

    [Fact]
    public void DeployersMayComeFromAnywhere()
    {
        // The API port serves only the forced command to keys in the ACL; CI runners have no fixed addresses.
        var d = ClusterDefinitionLoader.Parse(DefinitionText.With("deployerCidrs", """["0.0.0.0/0"]"""), "test.json");
        Assert.True(CidrRule.IsAnywhere(d.DeployerCidrs[0]));
    }

    [Fact]
    public void AnUnknownFieldIsRefusedWithItsPathAndTheLikelyMeantField()
    {
        var e = DefinitionText.Fails(DefinitionText.With("nodeGroups.managers.diskGB", "40"));

        Assert.Equal(ErrorCodes.ClusterDefinitionUnknownField, e.Code);
        var p = Assert.Single(e.Problems);
        Assert.Equal("nodeGroups.managers.diskGB", p.Path);
        Assert.Contains("did you mean 'diskGb'?", p.Message);
    }

    [Fact]
    public void AMisspeltTopLevelFieldIsRefusedAndItsIntendedFieldReportedMissing()
    {
        var root = DefinitionText.Minimal();
        root.Remove("region");
        root["regoin"] = "eu-west-1";

        var e = DefinitionText.Fails(root.ToJsonString());

        Assert.Equal(ErrorCodes.ClusterDefinitionUnknownField, e.Code); // the lowest code of the two
        Assert.Contains(e.Problems, p => p is { Code: ErrorCodes.ClusterDefinitionUnknownField, Path: "regoin" } && p.Message.Contains("did you mean 'region'?"));
        Assert.Contains(e.Problems, p => p is { Code: ErrorCodes.ClusterDefinitionInvalid, Path: "region" } && p.Message.StartsWith("is missing"));
    }

    [Fact]
    public void AFieldGivenTwiceIsRefused()
    {
        var text = DefinitionText.With("apiPort", "2222").Replace("\"apiPort\":2222", "\"apiPort\":2222,\"apiPort\":2223");

        var p = Assert.Single(DefinitionText.Fails(text).Problems);

        Assert.Equal((ErrorCodes.ClusterDefinitionUnknownField, "apiPort"), (p.Code, p.Path));
        Assert.Contains("given twice", p.Message);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceInFileOrderWithLineAndColumn()
    {
        var text = """
            {
              "name": "Prod",
              "region": "eu-west-1",
              "baseDomain": "apps.example.com",
              "adminCidrs": ["0.0.0.0/0"],
              "deployerCidrs": ["198.51.100.0/24"],
              "firstAdmins": [{ "name": "alice", "keys": ["KEY"] }],
              "nodeGroups": {
                "managers": { "count": 2, "diskGB": 40 },
                "workers": { "count": 2 }
              }
            }
            """.Replace("KEY", DefinitionText.AliceKey);

        var e = DefinitionText.Fails(text);

        Assert.Equal(
            [
                (ErrorCodes.ClusterDefinitionInvalid, "name", new SourcePosition(2, 11)),
                (ErrorCodes.SshOpenToWorld, "adminCidrs[0]", new SourcePosition(5, 18)),
                (ErrorCodes.ClusterDefinitionInvalid, "nodeGroups.managers.count", new SourcePosition(9, 28)),
                (ErrorCodes.ClusterDefinitionUnknownField, "nodeGroups.managers.diskGB", new SourcePosition(9, 31)),
            ],
            e.Problems.Select(p => (p.Code, p.Path, p.At!.Value)));
        Assert.Equal(ErrorCodes.ClusterDefinitionUnknownField, e.Code);
        Assert.Equal(4, e.Details.Count);
        Assert.Contains("test.json:9:28: FSW6013 nodeGroups.managers.count: must be 1 or 3, not 2", e.Details[2]);
        // The build prints only the message, so it carries every problem too.
        Assert.StartsWith("test.json: 4 problems in the cluster definition", e.Message);
        Assert.All(e.Details, d => Assert.Contains(d, e.Message));
    }

    [Fact]
    public void ColumnsCountCharactersNotBytes()
    {
        var text = "{\n  \"baseDomain\": \"äpps.example.com\", \"name\": \"Prod\" }";
        var e = DefinitionText.Fails(text);
        Assert.Equal(new SourcePosition(2, 45), e.Problems.Single(p => p.Path == "name").At);
    }

    [Fact]
    public void ASingleProblemIsTheWholeMessage()
    {
        var e = DefinitionText.Fails(DefinitionText.With("nodeGroups.managers.count", "2"));
        Assert.Matches(@"^FSW6013: test\.json:1:\d+: nodeGroups\.managers\.count: must be 1 or 3, not 2: the swarm's raft needs a majority", e.ToString());
        Assert.Equal(e.Message, e.Details.Single().Replace("FSW6013 ", ""));
    }

    [Theory]
    [InlineData("{ \"name\": }", 1, 11)]
    [InlineData("{ \"name\": \"prod\"\n  \"region\": \"eu-west-1\" }", 2, 3)]
    [InlineData("", null, null)]
    public void TextThatIsNotJsonIsUnreadableWithItsPosition(string text, int? line, int? column)
    {
        var e = DefinitionText.Fails(text);

        var p = Assert.Single(e.Problems);
        Assert.Equal(ErrorCodes.ClusterDefinitionUnreadable, e.Code);
        Assert.Contains("is not valid JSON", p.Message);
        if (line is not null) Assert.Equal(new SourcePosition(line.Value, column!.Value), p.At);
        Assert.DoesNotContain("LineNumber", e.Message);
    }

    [Theory]
    [InlineData("[]", "a list")]
    [InlineData("\"prod\"", "a string")]
    public void ADefinitionMustBeAnObject(string text, string kind)
    {
        var e = DefinitionText.Fails(text);
        Assert.Equal(ErrorCodes.ClusterDefinitionUnreadable, e.Code);
        Assert.Contains("not " + kind, e.Message);
    }

    [Fact]
    public void AMissingFileIsUnreadable()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "nope.json");

        var e = Assert.Throws<ClusterDefinitionException>(() => ClusterDefinitionLoader.Load(path));

        Assert.Equal(ErrorCodes.ClusterDefinitionUnreadable, e.Code);
        Assert.StartsWith($"FSW6011: {path}: cannot be read", e.ToString());
    }

    [Fact]
    public void AByteOrderMarkIsIgnored()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cluster.json", "\uFEFF" + DefinitionText.Minimal().ToJsonString());
        Assert.Equal("prod", ClusterDefinitionLoader.Load(path).Name);
    }

    [Fact]
    public void TheDocumentationNamesEveryField()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "cluster-definition.md"));
        var written = JsonNode.Parse(ClusterDefinitionWriter.ToJson(ClusterDefinitionLoader.Load(Example("cluster.json"))))!.AsObject();

        var missing = FieldPaths(written, "").Where(path => !doc.Contains($"`{path}`")).ToList();

        Assert.True(missing.Count == 0, "docs/cluster-definition.md does not describe: " + string.Join(", ", missing));
    }

    static IEnumerable<string> FieldPaths(JsonObject obj, string prefix)
    {
        foreach (var (name, value) in obj)
        {
            var path = prefix + name;
            yield return path;
            if (name == "labels") continue;
            var child = value switch { JsonObject o => o, JsonArray { Count: > 0 } a when a[0] is JsonObject o => o, _ => null };
            if (child is not null)
                foreach (var nested in FieldPaths(child, path + (value is JsonArray ? "[]." : ".")))
                    yield return nested;
        }
    }
}
