extern alias tasks;

using System.Text.Json;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;
using tasks::Futuswarm.Tasks;

namespace Futuswarm.Tests;

/// <summary>SwarmConfigSet, SwarmConfigUnset and SwarmConfigList: request bodies, outcomes, coded refusals before any ssh call.</summary>
public sealed class SwarmConfigTasksTests
{
    private const string Deployed = """{"type":"result","outcome":"deployed","service":"svc","release":6,"url":"http://svc.localhost:8080/"}""";

    private readonly MockBuildEngine _engine = new();

    private T Connected<T>(T task, FakeManager manager) where T : ManagerTask
    {
        task.BuildEngine = _engine;
        task.SshPath = manager.ScriptPath;
        task.Manager = "127.0.0.1:2299";
        task.User = "futuswarm";
        task.KnownHostsFile = "/tmp/fsw.known_hosts";
        task.HostKeyAlias = "futuswarm-local";
        task.ServiceName = "svc";
        return task;
    }

    private static FakeManager Answering(string verb, string line) => new((verb, [line]));

    private void AssertHigh(params string[] parts) =>
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High && parts.All(p => m.Message!.Contains(p)));

    [Fact]
    public void Set_sends_the_value()
    {
        using var manager = Answering("config-set", Deployed);
        var task = Connected(new SwarmConfigSet { ConfigName = "LOG_LEVEL", ConfigValue = "debug", DeployTimeout = "45" }, manager);

        Assert.True(task.Execute(), _engine.Log);

        Assert.Equal(["config-set"], manager.Verbs);
        var request = manager.Request<ConfigSetRequest>("config-set");
        Assert.Equal((2, "svc", 45), (request.Protocol, request.Service, request.TimeoutSeconds));
        Assert.Equal([new KeyValuePair<string, string>("LOG_LEVEL", "debug")], request.Values);
        Assert.Equal(["protocol", "service", "timeoutSeconds", "values"],
            JsonDocument.Parse(manager.Stdin("config-set")).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("deployed", task.Outcome);
        AssertHigh("svc: config LOG_LEVEL=debug set", "release 6 deployed");
    }

    [Theory]
    [InlineData("stored", "stored", "next deploy")]
    [InlineData("unchanged", "config LOG_LEVEL unchanged", "nothing to do")]
    public void Set_outcomes(string outcome, string expected, string more)
    {
        using var manager = Answering("config-set", $$"""{"type":"result","outcome":"{{outcome}}","service":"svc"}""");
        Assert.True(Connected(new SwarmConfigSet { ConfigName = "LOG_LEVEL", ConfigValue = "debug" }, manager).Execute(), _engine.Log);
        AssertHigh(expected, more);
    }

    [Theory]
    [InlineData("", "debug", "FSW0009", "SwarmConfigName")]
    [InlineData("LOG_LEVEL", "", "FSW2005", "SwarmConfigUnset")]
    [InlineData("1BAD", "x", "FSW2005", "not a valid variable name")]
    [InlineData("FUTUSWARM_X", "x", "FSW2005", "set by the cluster")]
    public void Set_refuses_bad_input_before_any_ssh_call(string name, string value, string code, string says)
    {
        using var manager = Answering("config-set", Deployed);
        Assert.False(Connected(new SwarmConfigSet { ConfigName = name, ConfigValue = value }, manager).Execute());
        var error = _engine.SingleError();
        Assert.Equal(code, error.Code);
        Assert.Contains(says, error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Set_of_an_unknown_service_is_the_managers_error()
    {
        using var manager = Answering("config-set", """{"type":"error","code":"FSW2012","message":"No service svc."}""");
        Assert.False(Connected(new SwarmConfigSet { ConfigName = "A", ConfigValue = "b" }, manager).Execute());
        Assert.Equal("FSW2012", _engine.SingleError().Code);
    }

    [Fact]
    public void Unset_sends_the_names()
    {
        using var manager = Answering("config-unset", Deployed);
        Assert.True(Connected(new SwarmConfigUnset { ConfigNames = ["LOG_LEVEL,FEATURE_X"], DeployTimeout = "30" }, manager).Execute(), _engine.Log);
        var request = manager.Request<RemoveRequest>("config-unset");
        Assert.Equal(["LOG_LEVEL", "FEATURE_X"], request.Names);
        Assert.Equal(30, request.TimeoutSeconds);
        AssertHigh("config LOG_LEVEL, FEATURE_X unset", "release 6 deployed");
    }

    [Theory]
    [InlineData("", "FSW0009")]
    [InlineData("not valid", "FSW2005")]
    public void Unset_refuses_bad_input_before_any_ssh_call(string names, string code)
    {
        using var manager = Answering("config-unset", Deployed);
        Assert.False(Connected(new SwarmConfigUnset { ConfigNames = names.Length == 0 ? [] : [names] }, manager).Execute());
        Assert.Equal(code, _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void List_shows_both_layers_and_marks_hidden_project_values()
    {
        var answer = JsonSerializer.Serialize(new ResponseLine
        {
            Type = "result", Outcome = "listed", Service = "svc",
            Config =
            [
                new ConfigInfo { Name = "HELLO", Value = "from the cluster", Source = "cluster" },
                new ConfigInfo { Name = "HELLO", Value = "from the project", Source = "project", Effective = false },
                new ConfigInfo { Name = "LOG_LEVEL", Value = "info", Source = "project" },
            ],
        }, Wire.Json);
        using var manager = Answering("config-list", answer);

        Assert.True(Connected(new SwarmConfigList(), manager).Execute(), _engine.Log);

        Assert.Equal("svc", manager.Request<ServiceRequest>("config-list").Service);
        AssertHigh("svc: HELLO=from the cluster", "set on the cluster");
        AssertHigh("svc: HELLO=from the project", "hidden by the cluster value");
        AssertHigh("svc: LOG_LEVEL=info", "from the project");
        Assert.DoesNotContain(_engine.Messages, m => m.Message!.Contains("LOG_LEVEL") && m.Message.Contains("hidden"));
    }

    [Fact]
    public void List_of_nothing()
    {
        using var manager = Answering("config-list", """{"type":"result","outcome":"listed","service":"svc","config":[]}""");
        Assert.True(Connected(new SwarmConfigList(), manager).Execute(), _engine.Log);
        AssertHigh("svc: no configuration values");
    }
}
