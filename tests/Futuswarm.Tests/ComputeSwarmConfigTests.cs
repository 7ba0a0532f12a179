extern alias tasks;

using Microsoft.Build.Framework;
using tasks::Futuswarm.Tasks;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Futuswarm.Tests;

public sealed class ComputeSwarmConfigTests : IDisposable
{
    private const string ProfileJson = """
        {
          "name": "local",
          "manager": "127.0.0.1:2222",
          "user": "futuswarm",
          "knownHostsFile": "x.known_hosts",
          "hostKeyAlias": "futuswarm-local",
          "registry": "localhost:5000",
          "baseImage": "localhost:5000/futuswarm/aspnet:10.0",
          "baseDomain": "localhost",
          "someFutureField": 1
        }
        """;

    private readonly TempDirectory _dir = new();
    private readonly string _profiles;
    private readonly string _intermediate;
    private readonly MockBuildEngine _engine = new();

    public ComputeSwarmConfigTests()
    {
        _profiles = _dir.Sub("clusters");
        _intermediate = Path.Combine(_dir.Path, "obj", "futuswarm");
        _dir.File("clusters/local.json", ProfileJson);
    }

    public void Dispose() => _dir.Dispose();

    private ComputeSwarmConfig Task(string cluster = "local") => new()
    {
        BuildEngine = _engine,
        ProjectName = "HelloSwarm",
        IntermediateDirectory = _intermediate,
        ProfilesDirectory = _profiles,
        Cluster = cluster,
    };

    private static TaskItem Item(string spec, params (string Key, string Value)[] metadata)
    {
        var item = new TaskItem(spec);
        foreach (var (k, v) in metadata) item.SetMetadata(k, v);
        return item;
    }

    private BuildErrorEventArgs Fails(ComputeSwarmConfig task)
    {
        Assert.False(task.Execute(), _engine.Log);
        var error = _engine.SingleError();
        Assert.Equal("test.csproj", error.File);
        return error;
    }

    private void Succeeds(ComputeSwarmConfig task) => Assert.True(task.Execute(), _engine.Log);

    [Fact]
    public void NoClusterNoManagerListsTheProfiles()
    {
        using var other = new TempDirectory();
        other.File("a.json", "{}");
        other.File("b.json", "{}");
        other.File("notes.txt", "");
        var task = Task(cluster: "");
        task.ProfilesDirectory = other.Path;

        var error = Fails(task);
        Assert.Equal("FSW0001", error.Code);
        Assert.Contains("a, b", error.Message);
        Assert.DoesNotContain("notes", error.Message);
        Assert.Contains("SwarmCluster", error.Message);
    }

    [Fact]
    public void NoClusterAndNoProfilesSaysHowToGetOne()
    {
        var task = Task(cluster: "");
        task.ProfilesDirectory = Path.Combine(_dir.Path, "does-not-exist");
        var error = Fails(task);
        Assert.Equal("FSW0001", error.Code);
        Assert.Contains("LocalCluster", error.Message);
    }

    [Fact]
    public void UnknownProfile()
    {
        var error = Fails(Task(cluster: "nope"));
        Assert.Equal("FSW0002", error.Code);
        Assert.Contains("nope", error.Message);
        Assert.Contains("local", error.Message);
    }

    [Fact]
    public void ProfileThatIsNotJson()
    {
        _dir.File("clusters/broken.json", "{ this is not json");
        Assert.Equal("FSW0006", Fails(Task(cluster: "broken")).Code);
    }

    [Fact]
    public void ProfileMissingARequiredField()
    {
        _dir.File("clusters/partial.json", """{"name":"partial","manager":"127.0.0.1:2222"}""");
        Assert.Equal("FSW0006", Fails(Task(cluster: "partial")).Code);
    }

    [Fact]
    public void ValidProfileResolves()
    {
        var task = Task();
        Succeeds(task);
        Assert.Empty(_engine.Warnings);
        Assert.Equal("127.0.0.1:2222", task.ResolvedManager);
        Assert.Equal("futuswarm", task.ResolvedUser);
        Assert.Equal(Path.Combine(_profiles, "x.known_hosts"), task.KnownHostsFile);
        Assert.True(Path.IsPathFullyQualified(task.KnownHostsFile));
        Assert.Equal("futuswarm-local", task.HostKeyAlias);
        Assert.Equal("localhost:5000", task.ResolvedRegistry);
        Assert.Equal("hello-swarm", task.Repository);
        Assert.Equal("localhost:5000/futuswarm/aspnet:10.0", task.BaseImage);
        Assert.Equal("hello-swarm", task.ResolvedServiceName);
        Assert.Equal("8080", task.ResolvedPort);
        Assert.Equal("1", task.ResolvedReplicas);
        Assert.Equal("/", task.ResolvedHealthCheckPath);
        Assert.Equal("300", task.ResolvedDeployTimeout);
        Assert.Equal("", task.ResolvedIdentityFile);
    }

    [Fact]
    public void AbsoluteKnownHostsFileIsKept()
    {
        var absolute = Path.Combine(_dir.Path, "elsewhere", "k.known_hosts");
        _dir.File("clusters/abs.json", ProfileJson.Replace("\"x.known_hosts\"", System.Text.Json.JsonSerializer.Serialize(absolute)));
        var task = Task(cluster: "abs");
        Succeeds(task);
        Assert.Equal(absolute, task.KnownHostsFile);
    }

    [Fact]
    public void ExplicitPropertiesOverrideTheProfile()
    {
        var task = Task();
        task.Manager = "10.0.0.9:2200";
        task.User = "ci";
        task.Registry = "registry.example.com";
        task.IdentityFile = "/keys/ci";
        task.ServiceName = "my-api";
        Succeeds(task);
        Assert.Equal("10.0.0.9:2200", task.ResolvedManager);
        Assert.Equal("ci", task.ResolvedUser);
        Assert.Equal("registry.example.com", task.ResolvedRegistry);
        Assert.Equal("/keys/ci", task.ResolvedIdentityFile);
        Assert.Equal("my-api", task.ResolvedServiceName);
        Assert.Equal("my-api", task.Repository);
        Assert.Equal("futuswarm-local", task.HostKeyAlias);
    }

    [Fact]
    public void PortDefaultsToTheFirstContainerPort()
    {
        var task = Task();
        task.ContainerPorts = [Item("5000", ("Type", "tcp")), Item("5001", ("Type", "tcp"))];
        Succeeds(task);
        Assert.Equal("5000", task.ResolvedPort);
    }

    [Fact]
    public void ExplicitPortWinsOverContainerPorts()
    {
        var task = Task();
        task.Port = "9000";
        task.ContainerPorts = [Item("5000")];
        Succeeds(task);
        Assert.Equal("9000", task.ResolvedPort);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public void PortNone(string value)
    {
        var task = Task();
        task.Port = value;
        Succeeds(task);
        Assert.Equal("none", task.ResolvedPort);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80.5")]
    public void InvalidPort(string value)
    {
        var task = Task();
        task.Port = value;
        var error = Fails(task);
        Assert.Equal("FSW2002", error.Code);
        Assert.Contains("SwarmPort", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("two")]
    public void InvalidReplicas(string value)
    {
        var task = Task();
        task.Replicas = value;
        Assert.Equal("FSW2003", Fails(task).Code);
    }

    [Fact]
    public void ValidSettingsAreResolved()
    {
        var task = Task();
        task.Replicas = "3";
        task.HealthCheckPath = "/health";
        task.DeployTimeout = "600";
        task.Access = "public";
        task.EnvironmentVariables = [Item("HELLO_GREETING", ("Value", "Hello"))];
        Succeeds(task);
        Assert.Equal("3", task.ResolvedReplicas);
        Assert.Equal("/health", task.ResolvedHealthCheckPath);
        Assert.Equal("600", task.ResolvedDeployTimeout);
    }

    [Fact]
    public void InvalidHealthCheckPath()
    {
        var task = Task();
        task.HealthCheckPath = "health";
        Assert.Equal("FSW2004", Fails(task).Code);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("soon")]
    public void InvalidDeployTimeout(string value)
    {
        var task = Task();
        task.DeployTimeout = value;
        Assert.Equal("FSW2006", Fails(task).Code);
    }

    [Fact]
    public void AccessSso()
    {
        var task = Task();
        task.Access = "sso";
        var error = Fails(task);
        Assert.Equal("FSW2010", error.Code);
        Assert.Contains("SwarmAccess", error.Message);
    }

    [Fact]
    public void CustomDomain()
    {
        var task = Task();
        task.Domains = [Item("www.example.com")];
        var error = Fails(task);
        Assert.Equal("FSW2009", error.Code);
        Assert.Contains("www.example.com", error.Message);
    }

    [Theory]
    [InlineData("1BAD", "v")]
    [InlineData("BAD-NAME", "v")]
    [InlineData("FUTUSWARM_X", "v")]
    [InlineData("OK", "a\0b")]
    public void InvalidEnvironmentVariable(string name, string value)
    {
        var task = Task();
        task.EnvironmentVariables = [Item("GOOD", ("Value", "1")), Item(name, ("Value", value))];
        var error = Fails(task);
        Assert.Equal("FSW2005", error.Code);
        Assert.Contains("SwarmEnvironmentVariable", error.Message);
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("app-")]
    public void InvalidServiceName(string name)
    {
        var task = Task();
        task.ServiceName = name;
        var error = Fails(task);
        Assert.Equal("FSW2001", error.Code);
        Assert.Contains("SwarmServiceName", error.Message);
    }

    [Fact]
    public void ReservedServiceNameHasItsOwnCode()
    {
        var task = Task();
        task.ServiceName = "futuswarm-app";
        Assert.Equal("FSW2013", Fails(task).Code);
    }

    [Fact]
    public void ReservedServiceNameIsRefusedBeforeAnythingIsSent()
    {
        var task = Task();
        task.ServiceName = "futuswarm-app";
        Assert.False(task.Execute());
        Assert.Contains("reserved", _engine.SingleError().Message);
    }

    [Fact]
    public void ManagerAndHostKeyWithoutProfilePinTheKeyInTheIntermediateDirectory()
    {
        var task = Task(cluster: "");
        task.ProfilesDirectory = Path.Combine(_dir.Path, "no-profiles");
        task.Manager = "10.0.0.5:2222";
        task.HostKey = "  ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE3uV0i5yzS3tKnd2d0mZb2Gq1vT9y8P9s0Jm6k3Yh8F \n";
        Succeeds(task);

        Assert.Equal("10.0.0.5:2222", task.ResolvedManager);
        Assert.Equal("futuswarm-10.0.0.5", task.HostKeyAlias);
        Assert.True(Path.IsPathFullyQualified(task.KnownHostsFile));
        Assert.StartsWith(Path.GetFullPath(_intermediate), task.KnownHostsFile);
        Assert.Equal("futuswarm-10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE3uV0i5yzS3tKnd2d0mZb2Gq1vT9y8P9s0Jm6k3Yh8F\n", File.ReadAllText(task.KnownHostsFile));
        Assert.Equal("futuswarm", task.ResolvedUser);
        Assert.Equal("docker.io", task.ResolvedRegistry);
        Assert.Equal("hello-swarm", task.ResolvedServiceName);
    }

    [Fact]
    public void ManagerWithoutHostKeyOrProfile()
    {
        var task = Task(cluster: "");
        task.Manager = "10.0.0.5:2222";
        var error = Fails(task);
        Assert.Equal("FSW1001", error.Code);
        Assert.Contains("SwarmHostKey", error.Message);
    }

    [Fact]
    public void RelativeProfilesDirectoryWorks()
    {
        var task = Task();
        task.ProfilesDirectory = Path.GetRelativePath(Environment.CurrentDirectory, _profiles);
        Assert.False(Path.IsPathFullyQualified(task.ProfilesDirectory));
        Succeeds(task);
        Assert.Equal(Path.Combine(_profiles, "x.known_hosts"), task.KnownHostsFile);
    }

    [Fact]
    public void SecretDeclarationsAreCheckedBeforeAnythingIsBuilt()
    {
        // Sources need not exist here: a deploy keeps the cluster's version of a secret this machine has no source for.
        var task = Task();
        task.Secrets = [Item("Stripe__ApiKey", ("FromEnvironment", "FSW_UT_NOT_SET_ANYWHERE")), Item("signing.pem", ("FromFile", "secrets/absent.pem"))];
        Succeeds(task);
    }

    [Theory]
    [InlineData("bad name", "FromEnvironment", "X", "may contain only")]
    [InlineData(".env", "FromEnvironment", "X", "starts with '.'")]
    [InlineData("A", "", "", "no source")]
    [InlineData("A", "both", "", "both FromEnvironment and FromFile")]
    public void BadSecretDeclarationIsFSW2014(string name, string metadata, string value, string says)
    {
        var task = Task();
        task.Secrets = [metadata switch
        {
            "" => Item(name),
            "both" => Item(name, ("FromEnvironment", "X"), ("FromFile", "f")),
            _ => Item(name, (metadata, value)),
        }];
        var error = Fails(task);
        Assert.Equal("FSW2014", error.Code);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void DuplicateSecretIsFSW2014()
    {
        var task = Task();
        task.Secrets = [Item("A", ("FromEnvironment", "X")), Item("A", ("FromFile", "f"))];
        var error = Fails(task);
        Assert.Equal("FSW2014", error.Code);
        Assert.Contains("twice", error.Message);
    }

    // ---- SwarmDatabase ----

    [Theory]
    [InlineData("", "")]
    [InlineData("  ", "")]
    [InlineData("postgres", "postgres")]
    [InlineData("Postgres", "postgres")]
    [InlineData(" POSTGRES ", "postgres")]
    public void DatabaseIsNormalized(string value, string resolved)
    {
        var task = Task();
        task.Database = value;
        Succeeds(task);
        Assert.Equal(resolved, task.ResolvedDatabase);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    [InlineData("true")]
    public void UnknownDatabaseIsFSW2017NamingTheAllowedValue(string value)
    {
        var task = Task();
        task.Database = value;
        var error = Fails(task);
        Assert.Equal("FSW2017", error.Code);
        Assert.Contains($"SwarmDatabase '{value}'", error.Message);
        Assert.Contains("'postgres'", error.Message);
        Assert.Equal("", task.ResolvedDatabase);
    }

    [Theory]
    [InlineData("ConnectionStrings__Default")]
    [InlineData("DATABASE_URL")]
    [InlineData("database_url")]
    [InlineData("connectionstrings__default")]
    public void SecretsTheClusterSetsFromTheDatabaseAreFSW2014(string name)
    {
        var task = Task();
        task.Database = "postgres";
        task.Secrets = [Item("Stripe__ApiKey", ("FromEnvironment", "X")), Item(name, ("FromEnvironment", "MY_DB"))];
        var error = Fails(task);
        Assert.Equal("FSW2014", error.Code);
        Assert.Contains($"SwarmSecret '{name}'", error.Message);
        Assert.Contains("set by the cluster", error.Message);
    }

    [Fact]
    public void WithoutADatabaseThoseSecretNamesAreTheProjectsOwn()
    {
        var task = Task();
        task.Secrets = [Item("ConnectionStrings__Default", ("FromEnvironment", "X")), Item("DATABASE_URL", ("FromFile", "db.txt"))];
        Succeeds(task);
        Assert.Equal("", task.ResolvedDatabase);
    }
}
