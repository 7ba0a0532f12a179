using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>
/// Whether the HTTPS listener can use the cluster's certificate yet. ELBv2 takes only an ISSUED certificate, and ACM
/// issues it once the operator has created the validation CNAMEs: until then the listener waits (its change is
/// deferred, the rest of the run goes on). The certificate's ARN is its id in the context (the access layer ran first);
/// its status is read with ACM's DescribeCertificate at every plan.
/// </summary>
public sealed class CertificateGate(IAcmApi acm, string baseDomain)
{
    public const string Issued = "ISSUED";

    /// <summary>The prefix every deferral reason starts with; apply recognises a deferred change by it.</summary>
    public const string WaitsPrefix = "waits for ";

    public const string PendingReason =
        "waits for the certificate's DNS validation: add the CNAME records printed above and run again";

    public ResourceAddress Address { get; } = CertificateKind.AddressFor(baseDomain);

    /// <summary>The certificate's ARN, when the context knows it.</summary>
    public string? Arn { get; private set; }

    /// <summary>ACM's status (ISSUED, PENDING_VALIDATION, ...), null when there is no certificate yet.</summary>
    public string? Status { get; private set; }

    public bool Usable => Status == Issued && Arn is not null;

    public async Task ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        Arn = ctx.IdOf(Address);
        Status = Arn is null ? null : (await ElbCalls.Run("DescribeCertificate", () => acm.DescribeCertificateAsync(Arn, ct)))?.Status;
    }

    /// <summary>Why a change that needs the certificate cannot be made now (null: it can).</summary>
    public string? WaitReason => Usable ? null : Status switch
    {
        null or "PENDING_VALIDATION" => PendingReason,
        // Terminal: waiting does not help, ACM will never issue this one.
        _ => $"{WaitsPrefix}a usable certificate: {Address} is {Status} and ACM will not issue it; delete it in ACM and run again to request a new one",
    };

    public static bool IsDeferred(Change change) => change.Reason.StartsWith(WaitsPrefix, StringComparison.Ordinal);
}
