namespace Futuswarm.Protocol;

/// <summary>
/// Every coded error of Futuswarm, one family per layer (DESIGN.md section 10).
/// docs/errors.md lists the same codes with their fixes; a unit test keeps the two in step.
/// This file is compiled into both the task assembly and the cluster side.
/// </summary>
public static class ErrorCodes
{
    // FSW0xxx: target checks in Sdk.targets and the tasks' own parameter checks.
    public const string NoClusterSelected = "FSW0001";
    public const string ProfileNotFound = "FSW0002";
    public const string SelfContainedNotSupported = "FSW0003";
    public const string MSBuildRuntimeNotSupported = "FSW0004";
    public const string MultiTargetNotSupported = "FSW0005";
    public const string ProfileInvalid = "FSW0006";
    public const string ContentKeyFailed = "FSW0007";
    public const string SecretSourceMissing = "FSW0008";
    public const string ParameterMissing = "FSW0009";

    // FSW1xxx: transport (SSH, host key, protocol, registry).
    public const string HostKeyUnknown = "FSW1001";
    public const string HostKeyChanged = "FSW1002";
    public const string KeyRefused = "FSW1003";
    public const string ManagerUnreachable = "FSW1004";
    public const string ProtocolMismatch = "FSW1005";
    public const string SshNotFound = "FSW1006";
    public const string NoResult = "FSW1007";
    public const string TransportFailed = "FSW1008";

    // FSW2xxx: input validation.
    public const string InvalidServiceName = "FSW2001";
    public const string InvalidPort = "FSW2002";
    public const string InvalidReplicas = "FSW2003";
    public const string InvalidHealthCheckPath = "FSW2004";
    public const string InvalidEnvironmentVariable = "FSW2005";
    public const string InvalidDeployTimeout = "FSW2006";
    public const string MalformedRequest = "FSW2007";
    public const string UnknownVerb = "FSW2008";
    public const string CustomDomainsNotSupported = "FSW2009";
    public const string AccessNotSupported = "FSW2010";
    public const string InvalidImage = "FSW2011";
    public const string ServiceNotFound = "FSW2012";
    public const string ReservedServiceName = "FSW2013";
    public const string InvalidSecretName = "FSW2014";
    public const string InvalidSecretValue = "FSW2015";
    public const string SecretNotFound = "FSW2016";
    public const string InvalidDatabase = "FSW2017";
    public const string ConfirmationRequired = "FSW2018";
    public const string DatabaseNotFound = "FSW2019";

    // FSW3xxx: authorization.
    public const string NotOwner = "FSW3001";
    public const string UnknownIdentity = "FSW3002";

    // FSW4xxx: rollout.
    public const string RolloutFailed = "FSW4001";
    public const string RolloutTimedOut = "FSW4002";
    public const string FirstDeployFailed = "FSW4003";
    public const string RollbackFailed = "FSW4004";
    public const string ConcurrentChange = "FSW4005";
    public const string EngineError = "FSW4006";
    public const string RolloutInterrupted = "FSW4007";

    // FSW5xxx: state, secrets, databases.
    public const string StoreFailed = "FSW5001";
    public const string StateCorrupt = "FSW5002";
    public const string SecretFormatUnknown = "FSW5003";
    public const string SecretContextMismatch = "FSW5004";
    public const string SecretKeyUnwrapFailed = "FSW5005";
    public const string SecretTampered = "FSW5006";
    public const string SecretKeyFileInvalid = "FSW5007";
    public const string KmsFailed = "FSW5008";
    public const string StoreConfigInvalid = "FSW5009";
    public const string DatabaseUnavailable = "FSW5010";
    public const string DatabaseFailed = "FSW5011";
    public const string BackupFailed = "FSW5012";

    // FSW6xxx: provisioning and the local cluster.
    public const string PortsTaken = "FSW6001";
    public const string EngineInForeignSwarm = "FSW6002";
    public const string NotRoot = "FSW6003";
    public const string ManagerStepFailed = "FSW6004";
    public const string EngineStepFailed = "FSW6005";
    public const string ImageBuildFailed = "FSW6006";
    public const string PackageInstallFailed = "FSW6007";
    public const string EngineNotFound = "FSW6008";
    public const string InvalidClusterOption = "FSW6009";
    public const string LocalClusterBusy = "FSW6010";

    // The cluster definition file (Provisioning/Definition); its range is 6011 to 6019.
    public const string ClusterDefinitionUnreadable = "FSW6011";
    public const string ClusterDefinitionUnknownField = "FSW6012";
    public const string ClusterDefinitionInvalid = "FSW6013";
    public const string SshOpenToWorld = "FSW6014";

    // FSW6020-FSW6024: the hand-written AWS clients (Provisioning/Aws: IAM, ELBv2, ACM, RDS).
    public const string AwsApiRefused = "FSW6020";
    public const string AwsApiUnavailable = "FSW6021";
    public const string AwsResponseUnreadable = "FSW6022";
    public const string AwsCredentialsMissing = "FSW6023";
    public const string AwsRequestInvalid = "FSW6024";

    // Provisioning on AWS: the reconcile engine and the network.
    public const string ProvisionSpecInvalid = "FSW6025";
    public const string CloudCallFailed = "FSW6026";
    public const string DuplicateCloudResources = "FSW6027";
    public const string ReplaceRefused = "FSW6028";
    public const string ProvisionWaitTimedOut = "FSW6029";

    // The state resources (KMS key, state bucket).
    public const string StateBucketNotEmpty = "FSW6030";

    // The load balancer (ALB, target group, listeners, target registration); its range ends at 6034.
    public const string LoadBalancerSpecInvalid = "FSW6031";

    // The database layer (RDS PostgreSQL, its subnet group, the service master on it).
    public const string DatabaseStorageShrinkRefused = "FSW6035";
    public const string DatabaseEngineDowngradeRefused = "FSW6036";
    public const string DatabaseMajorUpgradeNotAllowed = "FSW6037";
    public const string DatabaseFixedSettingChanged = "FSW6038";
    public const string DatabaseMasterSetupFailed = "FSW6039";

    // FSW6040-FSW6044: the cluster's instances (Provisioning/Compute).
    public const string InstanceTypeUnsupported = "FSW6040";
    public const string ManagerChangeRefused = "FSW6041";
    public const string NodeImageNotFound = "FSW6042";
    public const string UserDataTooLarge = "FSW6043";
    public const string InstanceLaunchFailed = "FSW6044";

    // Node bootstrap and the swarm part of repair (Futuswarm.Cluster/Nodes).
    public const string NodeSpecInvalid = "FSW6045";
    public const string NodeStepFailed = "FSW6046";
    public const string NodeSwarmConflict = "FSW6047";
    public const string NodeEngineNotReady = "FSW6048";
    public const string NodeJoinFailed = "FSW6049";
    public const string NodeEngineConfigInvalid = "FSW6050";
    public const string NodeNetworkConflict = "FSW6051";
    public const string ConsoleHostKeysMissing = "FSW6052";
    /// <summary>Printed by a joining node's cloud-init: its join token parameter did not appear within the wait bound.</summary>
    public const string NodeJoinTokenWaitTimedOut = "FSW6053";
    /// <summary>The first manager could not publish a join token to SSM (cloud-init output, or the step over SSH).</summary>
    public const string NodeJoinTokenPublishFailed = "FSW6054";

    // From FSW6055: the cluster operations (ProvisionCluster, RepairCluster, ClusterStatus, DestroyCluster).
    public const string ClusterStateMissing = "FSW6055";
    public const string DestroyNotConfirmed = "FSW6056";
    public const string SshKeyUnusable = "FSW6057";
    public const string ManagerServiceFailed = "FSW6058";
    /// <summary>The definition's edgeImage is not a pinned image reference.</summary>
    public const string EdgeImageInvalid = "FSW6059";
    /// <summary>Installing the managers' services needs the definition's edgeImage, and it has none.</summary>
    public const string EdgeImageMissing = "FSW6060";
    /// <summary>A manager's machine is of an architecture no manager bundle is built for.</summary>
    public const string ManagerArchitectureUnsupported = "FSW6061";

    /// <summary>manager-1's fixed address is covered by a subnet CIDR reservation that is not the cluster's (Provisioning/Network).</summary>
    public const string AddressReservationConflict = "FSW6063";
    /// <summary>RepairCluster: no running manager with console host keys is an active swarm manager to repair from.</summary>
    public const string NoSwarmManagerToRepairFrom = "FSW6064";
    /// <summary>PublishEdgeImage: a bad --edge-repository or a failed push.</summary>
    public const string EdgeImagePublishFailed = "FSW6066";
}
