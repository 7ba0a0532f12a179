using System.Text.Json.Nodes;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Identity;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The nodes' IAM roles and instance profiles against the fake IAM: provision, converge, drift, partial failure, destroy.</summary>
public class ProvisioningIdentityTests
{
    private const string KeyArn = "arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string Manager = "futuswarm-demo-manager";
    private const string Worker = "futuswarm-demo-worker";

    private static readonly IdentitySpec Spec = new("demo", "eu-north-1", "123456789012", KeyArn);

    private readonly FakeIamCloud _iam = new();

    private static ProvisionContext Ctx() => new("demo", WaitOptions.Immediate);

    private Task<Plan> ApplyAsync(IdentitySpec? spec = null) => IdentityLayer.For(_iam, spec ?? Spec).ApplyAsync(Ctx(), CancellationToken.None);
    private Task<Plan> PlanAsync(IdentitySpec? spec = null) => IdentityLayer.For(_iam, spec ?? Spec).PlanAsync(Ctx(), CancellationToken.None);

    private const string ExpectedManagerPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            { "Sid": "StateBucketList", "Effect": "Allow", "Action": ["s3:ListBucket"],
              "Resource": ["arn:aws:s3:::futuswarm-demo-state-123456789012"] },
            { "Sid": "StateBucketObjects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
              "Resource": ["arn:aws:s3:::futuswarm-demo-state-123456789012/*"] },
            { "Sid": "ClusterKeyUnderClusterContext", "Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
              "Resource": ["arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
              "Condition": { "StringEquals": { "kms:EncryptionContext:cluster": "demo" } } },
            { "Sid": "ClusterKeyForStateBucket", "Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
              "Resource": ["arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
              "Condition": { "StringEquals": {
                "kms:ViaService": "s3.eu-north-1.amazonaws.com",
                "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::futuswarm-demo-state-123456789012" } } },
            { "Sid": "SwarmJoinTokens", "Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:PutParameter"],
              "Resource": ["arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/worker",
                           "arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/manager"] }
          ]
        }
        """;

    private const string ExpectedWorkerPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            { "Sid": "SwarmJoinToken", "Effect": "Allow", "Action": ["ssm:GetParameter"],
              "Resource": ["arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/worker"] }
          ]
        }
        """;

    private async Task<string> PolicyAsync(string role) => (await _iam.GetRolePolicyAsync(role, ClusterPolicies.PolicyName, default))!;

    private static IEnumerable<JsonObject> Statements(string policy) => JsonNode.Parse(policy)!["Statement"]!.AsArray().Select(s => s!.AsObject());

    [Fact]
    public async Task FullProvisionFromNothing()
    {
        var applied = await ApplyAsync();

        Assert.Equal(4, applied.Count(ChangeAction.Create));
        Assert.Equal(
        [
            "CreateRole " + Manager, "PutRolePolicy " + Manager + " futuswarm-node",
            "CreateRole " + Worker, "PutRolePolicy " + Worker + " futuswarm-node",
            "CreateInstanceProfile " + Manager, "AddRoleToInstanceProfile " + Manager + " " + Manager,
            "CreateInstanceProfile " + Worker, "AddRoleToInstanceProfile " + Worker + " " + Worker,
        ], _iam.Calls.Select(c => c.ToString()));

        // The exact documents (compared as JSON, text equal to what ClusterPolicies writes).
        var manager = await PolicyAsync(Manager);
        var worker = await PolicyAsync(Worker);
        Assert.Equal(PolicyDocument.Normalize(ExpectedManagerPolicy), PolicyDocument.Normalize(manager));
        Assert.Equal(PolicyDocument.Normalize(ExpectedWorkerPolicy), PolicyDocument.Normalize(worker));
        Assert.Equal(ClusterPolicies.Manager(Spec), manager);

        // The key only under the cluster's EncryptionContext; no wildcard resource, no wildcard action, nothing but Allow.
        var kms = Statements(manager).Single(s => s["Sid"]!.GetValue<string>() == "ClusterKeyUnderClusterContext");
        Assert.Equal("demo", kms["Condition"]!["StringEquals"]!["kms:EncryptionContext:cluster"]!.GetValue<string>());
        // Every KMS grant is conditioned on an EncryptionContext: the cluster's, or (through S3 only) the state bucket's.
        foreach (var s in Statements(manager).Where(s => s["Action"]!.AsArray().Any(a => a!.GetValue<string>().StartsWith("kms:"))))
            Assert.Contains(s["Condition"]!["StringEquals"]!.AsObject(), c => c.Key.StartsWith("kms:EncryptionContext:"));
        foreach (var s in Statements(manager).Concat(Statements(worker)))
        {
            Assert.Equal("Allow", s["Effect"]!.GetValue<string>());
            Assert.All(s["Resource"]!.AsArray(), r => Assert.DoesNotMatch(@"^\*$|^arn:aws:[a-z0-9]+:[^:]*:[^:]*:\*$|:\*$", r!.GetValue<string>()));
            Assert.All(s["Action"]!.AsArray(), a => Assert.DoesNotContain("*", a!.GetValue<string>()));
        }
        Assert.DoesNotContain("kms:", worker);
        Assert.DoesNotContain("s3:", worker);
        // Join tokens: managers publish both (the first one after the swarm init), workers only read theirs. Both are
        // under alias/aws/ssm, usable through SSM without a kms grant, so no statement names that key.
        var tokens = Statements(manager).Single(s => s["Sid"]!.GetValue<string>() == "SwarmJoinTokens");
        Assert.Equal(["ssm:GetParameter", "ssm:PutParameter"], tokens["Action"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal([ClusterPolicies.JoinTokenArn(Spec, manager: false), ClusterPolicies.JoinTokenArn(Spec, manager: true)],
            tokens["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["ssm:GetParameter"], Statements(worker).Single()["Action"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.DoesNotContain("ssm:PutParameter", worker);
        Assert.DoesNotContain("join-token/manager", worker);
        Assert.DoesNotContain("alias/aws/ssm", manager);

        // Only EC2 may assume the roles; each role has its one policy, its tags; each profile holds its role.
        foreach (var name in new[] { Manager, Worker })
        {
            var role = (await _iam.GetRoleAsync(name, default))!;
            var trust = Statements(role.AssumeRolePolicyDocument).Single();
            Assert.Equal("ec2.amazonaws.com", trust["Principal"]!["Service"]!.GetValue<string>());
            Assert.Equal("sts:AssumeRole", trust["Action"]!.GetValue<string>());
            Assert.Equal(["futuswarm-node"], _iam.PolicyNames(name));
            Assert.Equal("demo", role.Tags["futuswarm:cluster"]);
            var profile = (await _iam.GetInstanceProfileAsync(name, default))!;
            Assert.Equal(name, profile.Roles.Single().RoleName);
            Assert.Equal("demo", profile.Tags["futuswarm:cluster"]);
        }
        Assert.Equal("iam-role[worker]", (await _iam.GetRoleAsync(Worker, default))!.Tags["futuswarm:role"]);
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCall()
    {
        await ApplyAsync();
        _iam.ResetCalls();

        Assert.True((await PlanAsync()).IsEmpty);
        var again = await ApplyAsync();

        Assert.True(again.IsEmpty);
        Assert.Empty(_iam.Calls);
        Assert.True(_iam.ReadCount > 0);
    }

    [Fact]
    public async Task ReorderedPolicyIsNotDrift()
    {
        await ApplyAsync();
        // The same grants: statements reversed, keys shuffled, one-element lists as strings, actions in another case.
        const string reordered = """
            { "Statement": [
                { "Resource": ["arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/manager",
                               "arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/worker"],
                  "Action": ["SSM:PutParameter", "ssm:getparameter"], "Effect": "Allow", "Sid": "SwarmJoinTokens" },
                { "Condition": { "StringEquals": { "kms:EncryptionContext:cluster": ["demo"] } },
                  "Resource": "arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                  "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Effect": "Allow", "Sid": "ClusterKeyUnderClusterContext" },
                { "Sid": "ClusterKeyForStateBucket", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                  "Resource": ["arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
                  "Condition": { "StringEquals": { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::futuswarm-demo-state-123456789012",
                    "kms:ViaService": "s3.eu-north-1.amazonaws.com" } } },
                { "Sid": "StateBucketObjects", "Effect": "Allow", "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::futuswarm-demo-state-123456789012/*" },
                { "Sid": "StateBucketList", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::futuswarm-demo-state-123456789012" } ],
              "Version": "2012-10-17" }
            """;
        await _iam.PutRolePolicyAsync(Manager, ClusterPolicies.PolicyName, reordered, default);
        _iam.ResetCalls();

        Assert.True((await PlanAsync()).IsEmpty);
        await ApplyAsync();
        Assert.Empty(_iam.Calls);
    }

    [Fact]
    public async Task DriftIsRepairedWithExactlyTheNeededCalls()
    {
        await ApplyAsync();
        var widened = JsonNode.Parse(ClusterPolicies.Manager(Spec))!;
        widened["Statement"]![1]!["Resource"] = "*";
        await _iam.PutRolePolicyAsync(Manager, ClusterPolicies.PolicyName, widened.ToJsonString(), default);
        await _iam.RemoveRoleFromInstanceProfileAsync(Worker, Worker, default);
        _iam.ResetCalls();

        var plan = await PlanAsync();
        Assert.Equal(
        [
            new Change(IamRoleKind.Address("manager"), ChangeAction.Update, "drifted", [
                FieldChange.Remove("policy", "Allow s3:deleteobject, s3:getobject, s3:putobject on *"),
                FieldChange.Add("policy", "Allow s3:deleteobject, s3:getobject, s3:putobject on arn:aws:s3:::futuswarm-demo-state-123456789012/*"),
            ]),
            new Change(InstanceProfileKind.Address("worker"), ChangeAction.Update, "drifted", [FieldChange.Add("role", Worker)]),
        ], plan.Changes);

        await ApplyAsync();
        Assert.Equal(["PutRolePolicy " + Manager + " futuswarm-node", "AddRoleToInstanceProfile " + Worker + " " + Worker],
            _iam.Calls.Select(c => c.ToString()));
        Assert.Equal(ClusterPolicies.Manager(Spec), await PolicyAsync(Manager));
        Assert.Equal(Worker, (await _iam.GetInstanceProfileAsync(Worker, default))!.Roles.Single().RoleName);

        _iam.ResetCalls();
        await ApplyAsync();
        Assert.Empty(_iam.Calls);
    }

    [Fact]
    public async Task DeletedPolicyForeignRoleAndTagsAreRepaired()
    {
        await ApplyAsync();
        await _iam.DeleteRolePolicyAsync(Worker, ClusterPolicies.PolicyName, default);
        await _iam.TagRoleAsync(Manager, new Dictionary<string, string> { ["futuswarm:cluster"] = "other" }, default);
        await _iam.RemoveRoleFromInstanceProfileAsync(Manager, Manager, default);
        await _iam.AddRoleToInstanceProfileAsync(Manager, Worker, default);
        _iam.ResetCalls();

        await ApplyAsync();

        Assert.Equal(
        [
            "TagRole " + Manager, "PutRolePolicy " + Worker + " futuswarm-node",
            "RemoveRoleFromInstanceProfile " + Manager + " " + Worker, "AddRoleToInstanceProfile " + Manager + " " + Manager,
        ], _iam.Calls.Select(c => c.ToString()));
        Assert.Equal("demo", (await _iam.GetRoleAsync(Manager, default))!.Tags["futuswarm:cluster"]);
        Assert.Equal(ClusterPolicies.Worker(Spec), await PolicyAsync(Worker));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task FailureHalfWayThenRerunCompletesWithoutDuplicates(int failing)
    {
        _iam.FailMutatingCall(failing);
        var error = await Assert.ThrowsAsync<FswException>(() => ApplyAsync());
        Assert.Equal(ErrorCodes.CloudCallFailed, error.Code);
        Assert.Contains("ServiceFailure", error.Message);

        await ApplyAsync();

        var succeeded = _iam.Calls.Where(c => !c.Failed).Select(c => c.Name).ToList();
        Assert.Equal(2, succeeded.Count(n => n == "CreateRole"));
        Assert.Equal(2, succeeded.Count(n => n == "CreateInstanceProfile"));
        Assert.Equal(2, succeeded.Count(n => n == "AddRoleToInstanceProfile"));
        Assert.Equal(2, succeeded.Count(n => n == "PutRolePolicy"));
        Assert.Equal([Manager, Worker], _iam.RoleNames);
        Assert.Equal([Manager, Worker], _iam.ProfileNames);
        Assert.Equal(ClusterPolicies.Manager(Spec), await PolicyAsync(Manager));
        _iam.ResetCalls();
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task DestroyRemovesProfilesThenPoliciesAndRoles()
    {
        await ApplyAsync();
        _iam.ResetCalls();

        var plan = await IdentityLayer.For(_iam, Spec).PlanDestroyAsync(Ctx(), default);
        Assert.Equal(["instance-profile[worker]", "instance-profile[manager]", "iam-role[worker]", "iam-role[manager]"],
            plan.Changes.Select(c => c.Address.ToString()));
        Assert.Empty(_iam.Calls);

        await IdentityLayer.For(_iam, Spec).DestroyAsync(Ctx(), default);

        Assert.Equal(
        [
            "RemoveRoleFromInstanceProfile " + Worker + " " + Worker, "DeleteInstanceProfile " + Worker,
            "RemoveRoleFromInstanceProfile " + Manager + " " + Manager, "DeleteInstanceProfile " + Manager,
            "DeleteRolePolicy " + Worker + " futuswarm-node", "DeleteRole " + Worker,
            "DeleteRolePolicy " + Manager + " futuswarm-node", "DeleteRole " + Manager,
        ], _iam.Calls.Select(c => c.ToString()));
        Assert.Empty(_iam.RoleNames);
        Assert.Empty(_iam.ProfileNames);

        _iam.ResetCalls();
        Assert.True((await IdentityLayer.For(_iam, Spec).DestroyAsync(Ctx(), default)).IsEmpty);
        Assert.Empty(_iam.Calls);
    }

    [Fact]
    public async Task ChangedTrustPolicyReplacesTheRoleAndItReturnsToItsProfile()
    {
        await ApplyAsync();
        // Simulates a trust policy edited in the console: recreate the worker role trusting another service.
        await _iam.RemoveRoleFromInstanceProfileAsync(Worker, Worker, default);
        await _iam.DeleteRolePolicyAsync(Worker, ClusterPolicies.PolicyName, default);
        await _iam.DeleteRoleAsync(Worker, default);
        await _iam.CreateRoleAsync(new(Worker,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
            new Dictionary<string, string>(ClusterTags.For("demo", IamRoleKind.Address("worker")))), default);
        await _iam.PutRolePolicyAsync(Worker, ClusterPolicies.PolicyName, ClusterPolicies.Worker(Spec), default);
        await _iam.AddRoleToInstanceProfileAsync(Worker, Worker, default);
        _iam.ResetCalls();

        var plan = await PlanAsync();
        var change = Assert.Single(plan.Changes);
        Assert.Equal((IamRoleKind.Address("worker"), ChangeAction.Replace), (change.Address, change.Action));

        await ApplyAsync();
        Assert.Equal(
        [
            "DeleteRolePolicy " + Worker + " futuswarm-node", "RemoveRoleFromInstanceProfile " + Worker + " " + Worker, "DeleteRole " + Worker,
            "CreateRole " + Worker, "PutRolePolicy " + Worker + " futuswarm-node", "AddRoleToInstanceProfile " + Worker + " " + Worker,
        ], _iam.Calls.Select(c => c.ToString()));
        _iam.ResetCalls();
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task WithoutTheKeyArnThePlanSaysKnownAfterApplyAndApplyWritesNothing()
    {
        var spec = Spec with { KmsKeyArn = null };
        var plan = await PlanAsync(spec);
        Assert.Contains("kms:decrypt, kms:generatedatakey on (known after apply)", plan.ToText());

        await Assert.ThrowsAsync<InvalidOperationException>(() => ApplyAsync(spec));
        Assert.Empty(_iam.Calls);
    }

    [Fact]
    public void SpecWithAnotherAccountsKeyIsRefused()
    {
        var error = Assert.Throws<FswException>(() => IdentityLayer.For(_iam, Spec with { KmsKeyArn = "arn:aws:kms:eu-north-1:999999999999:key/x" }));
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid, error.Code);
    }

    [Fact]
    public void PolicyComparisonIsByMeaning()
    {
        Assert.True(PolicyDocument.SameMeaning(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}""",
            """{"Statement":[{"Resource":["arn:aws:s3:::b/*"],"Action":["S3:GETOBJECT"],"Effect":"Allow"}],"Version":"2012-10-17"}"""));
        Assert.False(PolicyDocument.SameMeaning(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}""",
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"""));
        Assert.False(PolicyDocument.SameMeaning("not json", "not json"));
    }

    [Fact]
    public async Task PlanTextIsReadable()
    {
        var text = (await PlanAsync()).ToText();
        Assert.Equal("""
            Cluster "demo": 4 to create, 0 to update, 0 to replace, 0 to delete.

            + iam-role[manager]  # not found
                + name: futuswarm-demo-manager
                + trust: ec2.amazonaws.com
                + policy: Allow kms:decrypt, kms:generatedatakey on arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab when StringEquals kms:EncryptionContext:aws:s3:arn = arn:aws:s3:::futuswarm-demo-state-123456789012 and StringEquals kms:ViaService = s3.eu-north-1.amazonaws.com
                + policy: Allow kms:decrypt, kms:generatedatakey on arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab when StringEquals kms:EncryptionContext:cluster = demo
                + policy: Allow s3:deleteobject, s3:getobject, s3:putobject on arn:aws:s3:::futuswarm-demo-state-123456789012/*
                + policy: Allow s3:listbucket on arn:aws:s3:::futuswarm-demo-state-123456789012
                + policy: Allow ssm:getparameter, ssm:putparameter on arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/manager, arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/worker

            + iam-role[worker]  # not found
                + name: futuswarm-demo-worker
                + trust: ec2.amazonaws.com
                + policy: Allow ssm:getparameter on arn:aws:ssm:eu-north-1:123456789012:parameter/futuswarm/demo/swarm/join-token/worker

            + instance-profile[manager]  # not found
                + name: futuswarm-demo-manager
                + role: futuswarm-demo-manager

            + instance-profile[worker]  # not found
                + name: futuswarm-demo-worker
                + role: futuswarm-demo-worker

            """.ReplaceLineEndings("\n"), text);
    }
}
