using static Futuswarm.Build.Tests.Planner.Targets;

namespace Futuswarm.Build.Tests.Planner;

public class ExecutionPlannerErrorTests
{
    [Fact]
    public void A_cycle_is_reported_with_its_path()
    {
        TargetSpec[] graph = [T("A", "B"), T("B", "C"), T("C", "A")];

        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan(graph, ["A"]));

        Assert.Equal("Dependency cycle: A -> B -> C -> A.", e.Message);
    }

    [Fact]
    public void A_cycle_below_the_requested_target_names_only_the_cycle()
    {
        TargetSpec[] graph = [T("Top", "A"), T("A", "B"), T("B", "A")];

        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan(graph, ["Top"]));

        Assert.Equal("Dependency cycle: A -> B -> A.", e.Message);
    }

    [Fact]
    public void A_target_depending_on_itself_is_a_cycle()
    {
        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan([T("A", "A")], ["A"]));

        Assert.Equal("Dependency cycle: A -> A.", e.Message);
    }

    [Fact]
    public void A_cycle_is_found_even_when_differently_cased_names_close_it()
    {
        TargetSpec[] graph = [T("Pack", "compile"), T("Compile", "pack")];

        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan(graph, ["Pack"]));

        Assert.Equal("Dependency cycle: Pack -> Compile -> Pack.", e.Message);
    }

    [Fact]
    public void An_unknown_dependency_names_the_target_that_needs_it()
    {
        TargetSpec[] graph = [T("Demo", "LocalCluster", "Packk"), T("LocalCluster"), T("Pack")];

        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan(graph, ["Demo"]));

        Assert.Equal("Target 'Demo' depends on unknown target 'Packk'.", e.Message);
    }

    [Fact]
    public void An_unknown_requested_target_lists_the_known_ones_sorted()
    {
        TargetSpec[] graph = [T("Pack"), T("Demo"), T("LocalCluster")];

        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan(graph, ["Deploy"]));

        Assert.Equal("Unknown target 'Deploy'. Known targets: Demo, LocalCluster, Pack.", e.Message);
    }

    [Fact]
    public void A_target_defined_twice_is_refused()
    {
        var e = Assert.Throws<PlanException>(() => ExecutionPlanner.Plan([T("Pack"), T("pack")], ["Pack"]));

        Assert.Contains("defined twice", e.Message);
    }
}
