using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Tests;

/// <summary>The plan as PlanCluster prints it, for the sample spec on an empty account: a readable snapshot.</summary>
public class ProvisioningPlanTextTests
{
    private const string FromNothing = """
        Cluster "demo": 10 to create, 0 to update, 0 to replace, 0 to delete.

        + vpc  # not found
            + cidr_block: 10.40.0.0/16
            + enable_dns_support: true
            + enable_dns_hostnames: true

        + internet-gateway  # not found
            + attached_to: vpc

        + subnet[eu-north-1a]  # not found
            + vpc: vpc
            + cidr_block: 10.40.0.0/20
            + availability_zone: eu-north-1a
            + map_public_ip_on_launch: false

        + subnet[eu-north-1b]  # not found
            + vpc: vpc
            + cidr_block: 10.40.16.0/20
            + availability_zone: eu-north-1b
            + map_public_ip_on_launch: false

        + subnet-cidr-reservation[manager-1]  # not found
            + subnet: subnet[eu-north-1a]
            + cidr: 10.40.0.10/32
            + type: explicit

        + route-table[public]  # not found
            + vpc: vpc
            + route 0.0.0.0/0: internet-gateway
            + association: subnet[eu-north-1a]
            + association: subnet[eu-north-1b]

        + security-group[nodes]  # not found
            + name: demo-nodes
            + vpc: vpc
            + ingress: tcp 7946 from security-group[nodes]
            + ingress: udp 7946 from security-group[nodes]
            + ingress: udp 4789 from security-group[nodes]
            + ingress: tcp 22 from 203.0.113.0/24

        + security-group[lb]  # not found
            + name: demo-lb
            + vpc: vpc
            + ingress: tcp 80 from 0.0.0.0/0
            + ingress: tcp 443 from 0.0.0.0/0

        + security-group[managers]  # not found
            + name: demo-managers
            + vpc: vpc
            + ingress: tcp 2377 from security-group[nodes]
            + ingress: tcp 2222 from 198.51.100.0/24
            + ingress: tcp 80 from security-group[lb]
            + ingress: tcp 443 from security-group[lb]

        + security-group[database]  # not found
            + name: demo-database
            + vpc: vpc
            + ingress: tcp 5432 from security-group[nodes]

        """;

    [Fact]
    public async Task PlanFromNothingReadsAsTheSnapshot()
    {
        var cloud = new FakeEc2Cloud();

        var plan = await NetworkLayer.For(cloud, ProvisioningNetworkTests.Spec).PlanAsync(new ProvisionContext("demo", WaitOptions.Immediate), default);

        Assert.Equal(FromNothing, plan.ToText());
        Assert.Empty(cloud.Calls);
    }

    [Fact]
    public async Task ThePlanIsTheValueThatApplyCarriesOut()
    {
        var cloud = new FakeEc2Cloud();
        var planned = await NetworkLayer.For(cloud, ProvisioningNetworkTests.Spec).PlanAsync(new ProvisionContext("demo", WaitOptions.Immediate), default);

        var applied = await NetworkLayer.For(cloud, ProvisioningNetworkTests.Spec).ApplyAsync(new ProvisionContext("demo", WaitOptions.Immediate), default);

        Assert.Equal(planned.Changes, applied.Changes);
    }

    [Fact]
    public async Task DestroyPlanNamesEachResourceDependentsFirst()
    {
        var cloud = new FakeEc2Cloud();
        await NetworkLayer.For(cloud, ProvisioningNetworkTests.Spec).ApplyAsync(new ProvisionContext("demo", WaitOptions.Immediate), default);
        cloud.ResetCalls();

        var plan = await NetworkLayer.For(cloud, ProvisioningNetworkTests.Spec).PlanDestroyAsync(new ProvisionContext("demo", WaitOptions.Immediate), default);

        Assert.StartsWith("Cluster \"demo\": 0 to create, 0 to update, 0 to replace, 10 to delete.\n\n- security-group[database]  # destroy\n    - id: sg-", plan.ToText());
        Assert.Equal(
            ["security-group[database]", "security-group[managers]", "security-group[lb]", "security-group[nodes]", "route-table[public]",
             "subnet-cidr-reservation[manager-1]", "subnet[eu-north-1b]", "subnet[eu-north-1a]", "internet-gateway", "vpc"],
            plan.Changes.Select(c => c.Address.ToString()));
        Assert.Empty(cloud.Calls);
    }
}
