using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>A step of a manager's own services, over SSH (or on this machine) or, when provisioning put the bundle in
/// the state bucket (<see cref="ManagerServicesSpec.BundleObject"/>), at first boot: each first-boot form writes the
/// same files and revision files as the SSH form, so a later SSH run finds them in place and skips.</summary>
public abstract class ManagerStep : NodeStep
{
    public override bool AppliesTo(NodeSpec spec) => spec.ManagerServices is not null;

    protected static ManagerServicesSpec Services(NodeContext ctx) => ctx.Spec.ManagerServices!;

    /// <summary>cloud-init's modes for <see cref="ManagerFiles"/>' three.</summary>
    protected const string Readable = "0644", Executable = "0755", Private = "0600";

    protected static void WriteUnit(CloudConfig config, ManagedService service) =>
        config.Write(SystemdSupervisor.UnitPath(service), SystemdSupervisor.Unit(service), Readable);
}
