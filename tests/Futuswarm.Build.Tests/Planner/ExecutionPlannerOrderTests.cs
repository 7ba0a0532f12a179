using static Futuswarm.Build.Tests.Planner.Targets;

namespace Futuswarm.Build.Tests.Planner;

public class ExecutionPlannerOrderTests
{
    [Fact]
    public void Dependencies_run_before_the_target_that_needs_them()
    {
        TargetSpec[] graph = [T("Demo", "LocalCluster", "Pack"), T("LocalCluster"), T("Pack")];

        Assert.Equal(["LocalCluster", "Pack", "Demo"], Plan(graph, "Demo"));
    }

    [Fact]
    public void A_chain_is_ordered_deepest_first()
    {
        TargetSpec[] graph = [T("A", "B"), T("B", "C"), T("C")];

        Assert.Equal(["C", "B", "A"], Plan(graph, "A"));
    }

    [Fact]
    public void Only_requested_targets_and_their_dependencies_are_planned()
    {
        TargetSpec[] graph = [T("Demo", "Pack"), T("Pack"), T("LocalCluster"), T("Benchmark", "LocalCluster")];

        Assert.Equal(["Pack", "Demo"], Plan(graph, "Demo"));
    }

    [Fact]
    public void A_diamond_plans_the_shared_dependency_once_before_both_sides()
    {
        //      Top
        //     /   \
        //  Left   Right
        //     \   /
        //     Bottom
        TargetSpec[] graph = [T("Top", "Left", "Right"), T("Left", "Bottom"), T("Right", "Bottom"), T("Bottom")];

        Assert.Equal(["Bottom", "Left", "Right", "Top"], Plan(graph, "Top"));
    }

    [Fact]
    public void Targets_shared_by_several_requests_are_planned_once()
    {
        TargetSpec[] graph = [T("Demo", "LocalCluster", "Pack"), T("Test", "LocalCluster", "Pack"), T("LocalCluster"), T("Pack")];

        var plan = Plan(graph, "Demo", "Test");

        Assert.Equal(["LocalCluster", "Pack", "Demo", "Test"], plan);
        Assert.Equal(plan.Length, plan.Distinct().Count());
    }

    [Fact]
    public void A_target_requested_twice_or_also_as_a_dependency_is_planned_once()
    {
        TargetSpec[] graph = [T("Demo", "Pack"), T("Pack")];

        Assert.Equal(["Pack", "Demo"], Plan(graph, "Pack", "Demo", "Pack", "Demo"));
    }

    [Fact]
    public void Independent_targets_keep_the_request_order()
    {
        TargetSpec[] graph = [T("A"), T("B"), T("C")];

        Assert.Equal(["C", "A", "B"], Plan(graph, "C", "A", "B"));
        Assert.Equal(["B", "C", "A"], Plan(graph, "B", "C", "A"));
    }

    [Fact]
    public void Names_are_matched_case_insensitively_and_the_declared_spelling_is_planned()
    {
        TargetSpec[] graph = [T("Demo", "localcluster"), T("LocalCluster")];

        var plan = ExecutionPlanner.Plan(graph, ["DEMO"]);

        Assert.Equal(["LocalCluster", "Demo"], Names(plan));
        Assert.Same(graph[0], plan[1]);
    }

    [Fact]
    public void Nothing_requested_plans_nothing()
    {
        Assert.Empty(Plan([T("A")]));
    }
}
