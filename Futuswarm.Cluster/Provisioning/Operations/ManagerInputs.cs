using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Definition;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>What only a provision run learns and a manager's daemon needs: the state bucket, the cluster's KMS key
/// and the database's endpoint (null until RDS reports one). Names and ids only: the managers' credentials come
/// from their instance role, and every secret stays sealed in the store.</summary>
public sealed record ManagerInputs(string StateBucket, string KmsKeyArn, string? DatabaseHost, int DatabasePort)
{
    /// <summary>The database's endpoint as RDS reports it now (the database layer has waited for it to be available).</summary>
    public static async Task<ManagerInputs> ObserveAsync(IRdsApi rds, ClusterDefinition definition, string bucket, string kmsKeyArn, CancellationToken ct)
    {
        var identifier = new ClusterNames(definition.Name).DatabaseInstance;
        var db = (await Database.RdsCalls.Run("DescribeDBInstances", () => rds.DescribeDbInstancesAsync(identifier, ct))).SingleOrDefault();
        return new ManagerInputs(bucket, kmsKeyArn, db?.EndpointAddress, db?.EndpointPort ?? 5432);
    }
}
