using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.CloudInit;

/// <summary>The node bootstrap as cloud-init user data: the same step list as over SSH, each step's first-boot form.
/// The first manager publishes the join tokens to SSM and a joining node reads its own there, both on the node
/// itself; user data never holds a token. A manager's services (when its spec has them) come last: binaries copied from
/// the state bucket, the API host key opened from the store on the node, units started by systemd; never a secret.</summary>
public static class CloudInitRenderer
{
    public static string Render(NodeSpec spec)
    {
        spec.Validate();
        if (spec.Role != NodeRole.FirstManager && (spec.JoinTokenParameter is null || spec.Region is null))
            throw new FswException(ErrorCodes.NodeSpecInvalid,
                $"{ErrorCodes.NodeSpecInvalid}: node '{spec.Name}' joins a swarm, so cloud-init needs the join token's SSM parameter and region.");
        // Nodes booting beside the first manager can join only once it has published the tokens.
        if (spec.Role == NodeRole.FirstManager && (spec.PublishJoinTokens is null || spec.Region is null))
            throw new FswException(ErrorCodes.NodeSpecInvalid,
                $"{ErrorCodes.NodeSpecInvalid}: node '{spec.Name}' inits the swarm, so cloud-init needs the SSM parameters it publishes the join tokens to, and the region.");
        // A first boot fetches the binaries itself and has only systemd to keep the services up.
        if (spec.ManagerServices is { } m && (m.BundleObject is null || m.Supervisor != Manager.ServiceSupervisorKind.Systemd))
            throw new FswException(ErrorCodes.NodeSpecInvalid,
                $"{ErrorCodes.NodeSpecInvalid}: node '{spec.Name}' gets its manager services at first boot, so cloud-init needs the bundle's S3 object and the systemd supervisor.");
        var config = new CloudConfig();
        foreach (var step in NodeBootstrap.Steps.Where(s => s.AppliesTo(spec)))
            step.Render(spec, config);
        return config.ToYaml();
    }
}
