using System.Net;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;
using static Futuswarm.Tests.AwsIamClientTests;

namespace Futuswarm.Tests;

/// <summary>RdsClient against the RDS API Reference's sample responses (AwsSamples/rds); the master password never leaks.</summary>
public class AwsRdsClientTests
{
    private const string Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private const string Password = "c0rrect-Horse+Battery";
    private static readonly Dictionary<string, string> Tags = new() { ["futuswarm:cluster"] = "prod" };

    private static (RdsClient Client, FakeAws Fake, List<string> Log) Client()
    {
        var fake = new FakeAws();
        var log = new List<string>();
        return (new RdsClient(AwsTest.Transport(fake, log), "us-east-1"), fake, log);
    }

    private static string Empty(string action) =>
        $"<{action}Response xmlns=\"{Ns}\"><ResponseMetadata><RequestId>7369556f-EXAMPLE</RequestId></ResponseMetadata></{action}Response>";

    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>7369556f-EXAMPLE</RequestId></ErrorResponse>";

    /// <summary>The &lt;DBInstance&gt; of a sample response, to build DescribeDBInstances pages (the reference shows none).</summary>
    private static string InstanceOf(string sample)
    {
        var xml = AwsTest.Sample(sample);
        return xml[xml.IndexOf("<DBInstance>", StringComparison.Ordinal)..(xml.IndexOf("</DBInstance>", StringComparison.Ordinal) + "</DBInstance>".Length)];
    }

    private static RdsDbInstanceSpec Spec(string password = Password) => new(
        "futuswarm-prod", "db.t4g.medium", "16.4", 50, 14, "futuswarm-prod", ["sg-0123456789abcdef0"], "futuswarm_master",
        new RdsPassword(password), Tags, KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");

    [Fact]
    public async Task CreateDbInstanceSendsAnEncryptedPrivatePostgresAndReadsTheAnswer()
    {
        var (rds, fake, log) = Client();
        fake.Ok(AwsTest.Sample("rds/CreateDBInstance.xml"));

        var db = await rds.CreateDbInstanceAsync(Spec(), CancellationToken.None);

        var r = Assert.Single(fake.Requests);
        Assert.Equal("https://rds.us-east-1.amazonaws.com/", r.Uri.ToString());
        AwsTest.AssertSignedAsReceived(r, "us-east-1", "rds");
        AssertForm(r, ("Action", "CreateDBInstance"), ("Version", "2014-10-31"),
            ("DBInstanceIdentifier", "futuswarm-prod"), ("DBInstanceClass", "db.t4g.medium"), ("Engine", "postgres"), ("EngineVersion", "16.4"),
            ("AllocatedStorage", "50"), ("StorageType", "gp3"), ("StorageEncrypted", "true"),
            ("KmsKeyId", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            ("BackupRetentionPeriod", "14"), ("DBSubnetGroupName", "futuswarm-prod"), ("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0123456789abcdef0"),
            ("MultiAZ", "false"), ("PubliclyAccessible", "false"), ("DeletionProtection", "true"), ("CopyTagsToSnapshot", "true"),
            ("MasterUsername", "futuswarm_master"), ("MasterUserPassword", Password),
            ("Tags.Tag.1.Key", "futuswarm:cluster"), ("Tags.Tag.1.Value", "prod"));
        Assert.Equal(("myawsuser-dbi01", "creating", "db.m5.large", "mysql", "5.6.13"), (db.Identifier, db.Status, db.InstanceClass, db.Engine, db.EngineVersion));
        Assert.Equal((15, 7, "myawsuser"), (db.AllocatedStorage, db.BackupRetentionPeriod, db.MasterUsername));
        Assert.Equal(["MasterUserPassword"], db.PendingModifications);
        Assert.Null(db.EndpointAddress);
        Assert.DoesNotContain(log, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheMasterPasswordIsScrubbedFromARefusalAndNeverPrinted()
    {
        var (rds, fake, log) = Client();
        fake.Answer(HttpStatusCode.BadRequest, Error("InvalidParameterValue", $"Invalid master password {Password} for engine postgres"));

        var e = await Assert.ThrowsAsync<AwsApiException>(() => rds.CreateDbInstanceAsync(Spec(), CancellationToken.None));

        Assert.Equal(("RDS CreateDBInstance", "InvalidParameterValue"), (e.Api, e.AwsCode));
        Assert.DoesNotContain(Password, e.ToString());
        Assert.DoesNotContain(Password, e.AwsMessage);
        Assert.DoesNotContain(log, l => l.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(Password, Spec().ToString());
        Assert.Contains("MasterUserPassword = ***", Spec().ToString());
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in it")]
    [InlineData("has/slash-inside")]
    [InlineData("has@at-inside1")]
    public async Task AnInvalidPasswordIsRefusedBeforeAnyCallWithoutShowingIt(string password)
    {
        var (rds, fake, _) = Client();
        var e = await Assert.ThrowsAsync<FswException>(() => rds.CreateDbInstanceAsync(Spec(password), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsRequestInvalid, e.Code);
        Assert.DoesNotContain(password, e.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task DescribeDbInstancesFiltersByIdentifierAndFollowsTheMarker()
    {
        // Pages written from the DeleteDBInstance and ModifyDBInstance samples' DBInstance (no DescribeDBInstances sample is published in reach).
        var (rds, fake, _) = Client();
        fake.Ok($"<DescribeDBInstancesResponse xmlns=\"{Ns}\"><DescribeDBInstancesResult><DBInstances>{InstanceOf("rds/DeleteDBInstance.xml")}</DBInstances><Marker>next-page</Marker></DescribeDBInstancesResult></DescribeDBInstancesResponse>")
            .Ok($"<DescribeDBInstancesResponse xmlns=\"{Ns}\"><DescribeDBInstancesResult><DBInstances>{InstanceOf("rds/ModifyDBInstance.xml")}</DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>");

        var all = await rds.DescribeDbInstancesAsync("mydatabase", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "DescribeDBInstances"), ("Version", "2014-10-31"),
            ("Filters.Filter.1.Name", "db-instance-id"), ("Filters.Filter.1.Values.Value.1", "mydatabase"));
        AssertForm(fake.Requests[1], ("Action", "DescribeDBInstances"), ("Version", "2014-10-31"),
            ("Filters.Filter.1.Name", "db-instance-id"), ("Filters.Filter.1.Values.Value.1", "mydatabase"), ("Marker", "next-page"));
        Assert.Equal(["mydatabase", "myawsuser-dbi04"], all.Select(d => d.Identifier));
        Assert.Equal(("mydatabase.cf037hpkuvjt.us-east-1.rds.amazonaws.com", 3306), (all[0].EndpointAddress, all[0].EndpointPort));
        Assert.Equal((true, false), (all[1].MultiAz, all[0].MultiAz));
    }

    [Fact]
    public async Task DescribeAllSendsNoFilterAndAMissingInstanceIsAnEmptyList()
    {
        var (rds, fake, _) = Client();
        fake.Ok($"<DescribeDBInstancesResponse xmlns=\"{Ns}\"><DescribeDBInstancesResult><DBInstances/></DescribeDBInstancesResult></DescribeDBInstancesResponse>")
            .Answer(HttpStatusCode.NotFound, Error("DBInstanceNotFound", "DBInstance gone not found."));

        Assert.Empty(await rds.DescribeDbInstancesAsync(null, CancellationToken.None));
        Assert.Empty(await rds.DescribeDbInstancesAsync("gone", CancellationToken.None));
        AssertForm(fake.Requests[0], ("Action", "DescribeDBInstances"), ("Version", "2014-10-31"));
    }

    [Fact]
    public async Task ModifyDbInstanceSendsOnlyTheChangesAndReadsThePendingValues()
    {
        var (rds, fake, log) = Client();
        fake.Ok(AwsTest.Sample("rds/ModifyDBInstance.xml")).Ok(AwsTest.Sample("rds/ModifyDBInstance.xml"));

        var db = await rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges("myawsuser-dbi04", true, AllocatedStorage: 20), CancellationToken.None);
        await rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges("myawsuser-dbi04", false, BackupRetentionPeriod: 14,
            VpcSecurityGroupIds: ["sg-1", "sg-2"], MasterUserPassword: new RdsPassword(Password)), CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "ModifyDBInstance"), ("Version", "2014-10-31"),
            ("DBInstanceIdentifier", "myawsuser-dbi04"), ("ApplyImmediately", "true"), ("AllocatedStorage", "20"));
        AssertForm(fake.Requests[1], ("Action", "ModifyDBInstance"), ("Version", "2014-10-31"),
            ("DBInstanceIdentifier", "myawsuser-dbi04"), ("ApplyImmediately", "false"), ("BackupRetentionPeriod", "14"),
            ("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-1"), ("VpcSecurityGroupIds.VpcSecurityGroupId.2", "sg-2"), ("MasterUserPassword", Password));
        Assert.Equal(("available", 15, true), (db.Status, db.AllocatedStorage, db.MultiAz));
        Assert.Equal(["AllocatedStorage"], db.PendingModifications);
        Assert.Equal(("myawsuser-dbi04.cg037hpkuyjt.us-east-1.rds.amazonaws.com", 3306), (db.EndpointAddress, db.EndpointPort));
        Assert.DoesNotContain(log, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteDbInstanceTakesAFinalSnapshotOrSkipsIt()
    {
        var (rds, fake, _) = Client();
        fake.Ok(AwsTest.Sample("rds/DeleteDBInstance.xml")).Ok(AwsTest.Sample("rds/DeleteDBInstance.xml"));

        var db = await rds.DeleteDbInstanceAsync("mydatabase", "mydatabase-final-2015-08-30", CancellationToken.None);
        await rds.DeleteDbInstanceAsync("mydatabase", null, CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "DeleteDBInstance"), ("Version", "2014-10-31"), ("DBInstanceIdentifier", "mydatabase"),
            ("FinalDBSnapshotIdentifier", "mydatabase-final-2015-08-30"), ("SkipFinalSnapshot", "false"));
        AssertForm(fake.Requests[1], ("Action", "DeleteDBInstance"), ("Version", "2014-10-31"), ("DBInstanceIdentifier", "mydatabase"),
            ("SkipFinalSnapshot", "true"));
        Assert.Equal(("mydatabase", "deleting", "db.m1.medium", 100), (db.Identifier, db.Status, db.InstanceClass, db.AllocatedStorage));
        Assert.Empty(db.PendingModifications);
    }

    [Fact]
    public async Task SubnetGroupsAreDescribedAcrossPagesCreatedDeletedAndTagged()
    {
        // Page 1 is the DescribeDBSubnetGroups sample with a Marker added; page 2 carries the CreateDBSubnetGroup sample's group.
        var (rds, fake, _) = Client();
        var created = AwsTest.Sample("rds/CreateDBSubnetGroup.xml");
        var group = created[created.IndexOf("<DBSubnetGroup>", StringComparison.Ordinal)..(created.IndexOf("</DBSubnetGroup>", StringComparison.Ordinal) + "</DBSubnetGroup>".Length)];
        fake.Ok(AwsTest.Sample("rds/DescribeDBSubnetGroups.xml").Replace("</DBSubnetGroups>", "</DBSubnetGroups>\n    <Marker>page-2</Marker>"))
            .Ok($"<DescribeDBSubnetGroupsResponse xmlns=\"{Ns}\"><DescribeDBSubnetGroupsResult><DBSubnetGroups>{group}</DBSubnetGroups></DescribeDBSubnetGroupsResult></DescribeDBSubnetGroupsResponse>")
            .Ok(created)
            .Ok(Empty("DeleteDBSubnetGroup"))
            .Ok(Empty("AddTagsToResource"))
            .Answer(HttpStatusCode.NotFound, Error("DBSubnetGroupNotFoundFault", "DBSubnetGroup gone not found."));

        var all = await rds.DescribeDbSubnetGroupsAsync(null, CancellationToken.None);
        var made = await rds.CreateDbSubnetGroupAsync("myawsuser-dbsubnetgroup", "My new DB subnet group", ["subnet-e4d398a1", "subnet-c2bdb6ba"], Tags, CancellationToken.None);
        await rds.DeleteDbSubnetGroupAsync("myawsuser-dbsubnetgroup", CancellationToken.None);
        await rds.AddTagsToResourceAsync("arn:aws:rds:us-east-1:111122223333:db:futuswarm-prod", Tags, CancellationToken.None);
        var none = await rds.DescribeDbSubnetGroupsAsync("gone", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "DescribeDBSubnetGroups"), ("Version", "2014-10-31"));
        AssertForm(fake.Requests[1], ("Action", "DescribeDBSubnetGroups"), ("Version", "2014-10-31"), ("Marker", "page-2"));
        Assert.Equal(["mydbsubnetgroup1", "sub-grp-2", "myawsuser-dbsubnetgroup"], all.Select(g => g.Name));
        Assert.Equal(["subnet-d281ef8a", "subnet-b381ef9f", "subnet-e1e17ebd"], all[1].SubnetIds);
        Assert.Equal(["us-west-2a", "us-west-2c", "us-west-2b"], all[1].AvailabilityZones);
        Assert.Equal(("vpc-e7abbdce", "Complete", "DB subnet group 1"), (all[0].VpcId, all[0].Status, all[0].Description));

        AssertForm(fake.Requests[2], ("Action", "CreateDBSubnetGroup"), ("Version", "2014-10-31"), ("DBSubnetGroupName", "myawsuser-dbsubnetgroup"),
            ("DBSubnetGroupDescription", "My new DB subnet group"),
            ("SubnetIds.SubnetIdentifier.1", "subnet-e4d398a1"), ("SubnetIds.SubnetIdentifier.2", "subnet-c2bdb6ba"),
            ("Tags.Tag.1.Key", "futuswarm:cluster"), ("Tags.Tag.1.Value", "prod"));
        Assert.Contains("DBSubnetGroupDescription=My%20new%20DB%20subnet%20group", fake.Requests[2].Body);
        Assert.Equal("vpc-33dc97ea", made.VpcId);
        Assert.Equal(["subnet-e4d398a1", "subnet-c2bdb6ba"], made.SubnetIds);
        AssertForm(fake.Requests[3], ("Action", "DeleteDBSubnetGroup"), ("Version", "2014-10-31"), ("DBSubnetGroupName", "myawsuser-dbsubnetgroup"));
        AssertForm(fake.Requests[4], ("Action", "AddTagsToResource"), ("Version", "2014-10-31"),
            ("ResourceName", "arn:aws:rds:us-east-1:111122223333:db:futuswarm-prod"), ("Tags.Tag.1.Key", "futuswarm:cluster"), ("Tags.Tag.1.Value", "prod"));
        Assert.Empty(none);
    }

    [Fact]
    public async Task AMarkerThatComesBackAgainStopsWithFsw6022()
    {
        var (rds, fake, _) = Client();
        var page = $"<DescribeDBSubnetGroupsResponse xmlns=\"{Ns}\"><DescribeDBSubnetGroupsResult><DBSubnetGroups/><Marker>same</Marker></DescribeDBSubnetGroupsResult></DescribeDBSubnetGroupsResponse>";
        fake.Ok(page).Ok(page);
        var e = await Assert.ThrowsAsync<AwsApiException>(() => rds.DescribeDbSubnetGroupsAsync(null, CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsResponseUnreadable, e.Code);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task ModifyDbSubnetGroupSendsTheWholeSubnetListAndReadsTheGroup()
    {
        // The reference page shows the request (SubnetIds.SubnetIdentifier.N, DBSubnetGroupDescription) and that the answer is
        // the DBSubnetGroup: the answer here is the CreateDBSubnetGroup sample's group under the Modify response's elements.
        var (rds, fake, _) = Client();
        fake.Ok(AwsTest.Sample("rds/CreateDBSubnetGroup.xml").Replace("CreateDBSubnetGroup", "ModifyDBSubnetGroup"))
            .Answer(HttpStatusCode.BadRequest, Error("InvalidDBSubnetGroupStateFault", "The DB subnet group is in use."));

        var group = await rds.ModifyDbSubnetGroupAsync("myawsuser-dbsubnetgroup", null, ["subnet-e4d398a1", "subnet-c2bdb6ba"], CancellationToken.None);
        var e = await Assert.ThrowsAsync<AwsApiException>(() => rds.ModifyDbSubnetGroupAsync("g", "A new Description", ["subnet-1"], CancellationToken.None));

        AssertForm(fake.Requests[0], ("Action", "ModifyDBSubnetGroup"), ("Version", "2014-10-31"), ("DBSubnetGroupName", "myawsuser-dbsubnetgroup"),
            ("SubnetIds.SubnetIdentifier.1", "subnet-e4d398a1"), ("SubnetIds.SubnetIdentifier.2", "subnet-c2bdb6ba"));
        AssertForm(fake.Requests[1], ("Action", "ModifyDBSubnetGroup"), ("Version", "2014-10-31"), ("DBSubnetGroupName", "g"),
            ("DBSubnetGroupDescription", "A new Description"), ("SubnetIds.SubnetIdentifier.1", "subnet-1"));
        Assert.Equal(("myawsuser-dbsubnetgroup", "vpc-33dc97ea", "Complete"), (group.Name, group.VpcId, group.Status));
        Assert.Equal(["subnet-e4d398a1", "subnet-c2bdb6ba"], group.SubnetIds);
        Assert.Equal(["us-east-1b", "us-east-1c"], group.AvailabilityZones);
        Assert.Equal(("RDS ModifyDBSubnetGroup", "InvalidDBSubnetGroupStateFault"), (e.Api, e.AwsCode));
    }

    [Fact]
    public async Task ModifyDbInstanceSendsMultiAzAndPublicAccessAndReadsPendingValues()
    {
        var (rds, fake, _) = Client();
        fake.Ok(AwsTest.Sample("rds/ModifyDBInstance.xml"));

        var db = await rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges("myawsuser-dbi04", true, DeletionProtection: false, MultiAz: true, PubliclyAccessible: false),
            CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "ModifyDBInstance"), ("Version", "2014-10-31"), ("DBInstanceIdentifier", "myawsuser-dbi04"),
            ("ApplyImmediately", "true"), ("DeletionProtection", "false"), ("MultiAZ", "true"), ("PubliclyAccessible", "false"));
        Assert.Equal(new Dictionary<string, string> { ["AllocatedStorage"] = "20" }, db.PendingValues);
    }

    [Fact]
    public async Task APendingPasswordIsAFlagWithoutAValue()
    {
        var (rds, fake, _) = Client();
        fake.Ok(AwsTest.Sample("rds/CreateDBInstance.xml"));

        var db = await rds.CreateDbInstanceAsync(Spec(), CancellationToken.None);

        Assert.Equal(["MasterUserPassword"], db.PendingModifications);
        Assert.Empty(db.PendingValues!);
    }
}
