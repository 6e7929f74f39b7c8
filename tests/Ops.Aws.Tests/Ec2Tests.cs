using Ops.Aws.Ec2;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>EC2 (ec2 protocol: Name.N lists, lower-case XML, no result wrapper).</summary>
public abstract class Ec2Tests(ITestCloud moto)
{
    readonly Ec2Client _ec2 = new(moto.Connection);

    [Fact]
    public async Task Instances_round_trip_with_running_and_terminated_waiters()
    {
        var images = await _ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"], Filters = [new Filter { Name = "architecture", Values = ["x86_64"] }] });
        var ami = images.Images![0].ImageId;
        var zones = await _ec2.DescribeAvailabilityZonesAsync();
        Assert.Contains(zones.AvailabilityZones!, z => z.ZoneName == "us-east-1a");

        var run = await _ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = ami,
            MinCount = 2,
            MaxCount = 2,
            InstanceType = "t3.medium",
            UserData = Convert.ToBase64String("#!/bin/bash\necho ECS_CLUSTER=iotile-dev >> /etc/ecs/ecs.config"u8),
            TagSpecifications = [new TagSpecification { ResourceType = "instance", Tags = [new Tag { Key = "Project", Value = "IOTileCloud" }] }],
        });
        var ids = run.Instances!.Select(i => i.InstanceId!).ToList();
        Assert.Equal(2, ids.Count);
        var running = await _ec2.WaitUntilInstanceRunningAsync(new DescribeInstancesRequest { InstanceIds = ids }, MotoServer.FastWaits);
        Assert.All(running.Reservations!.SelectMany(r => r.Instances!), i => Assert.Equal("running", i.State!.Name));
        var tagged = await _ec2.DescribeInstancesItemsAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter { Name = "tag:Project", Values = ["IOTileCloud"] }, new Filter { Name = "instance-state-name", Values = ["running"] }],
        }).ToListAsync();
        Assert.Contains(tagged.SelectMany(r => r.Instances!), i => i.InstanceId == ids[0]);

        await _ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [ids[0]] });
        await _ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [ids[0]] });
        await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ids });
        await _ec2.WaitUntilInstanceTerminatedAsync(new DescribeInstancesRequest { InstanceIds = ids }, MotoServer.FastWaits);
        await AwsAssert.ErrorCode("InvalidInstanceID.NotFound", () => _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0123456789abcdef0"] }));
    }

    [Fact]
    public async Task Security_groups_rules_and_tags_round_trip()
    {
        var vpc = (await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter { Name = "is-default", Values = ["true"] }] })).Vpcs![0].VpcId;
        Assert.NotEmpty((await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter { Name = "vpc-id", Values = [vpc!] }] })).Subnets!);
        var name = MotoServer.Unique("iotile-data");
        var group = (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name, Description = "databases", VpcId = vpc })).GroupId!;
        await AwsAssert.ErrorCode("InvalidGroup.Duplicate", () => _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name, Description = "x", VpcId = vpc }));

        // The original opened 5432/6379/5439 to 0.0.0.0/0; Ops opens them to the VPC only.
        var ingress = new[] { 5432, 6379, 5439 }.Select(port => new IpPermission
        {
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            IpRanges = [new IpRange { CidrIp = "172.31.0.0/16", Description = "vpc" }],
        }).ToList();
        await _ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = ingress });
        var described = (await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group] })).SecurityGroups![0];
        Assert.Equal([5432, 5439, 6379], described.IpPermissions!.Select(p => p.FromPort!.Value).Order());
        Assert.All(described.IpPermissions!, p => Assert.Equal("172.31.0.0/16", p.IpRanges![0].CidrIp));
        await _ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [ingress[0]] });
        var groups = (await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group] })).SecurityGroups!;
        Assert.Equal(2, groups[0].IpPermissions!.Count);

        await _ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [group], Tags = [new Tag { Key = "Stage", Value = "dev" }, new Tag { Key = "ManagedBy", Value = "ops" }] });
        var tags = await _ec2.DescribeTagsItemsAsync(new DescribeTagsRequest { Filters = [new Filter { Name = "resource-id", Values = [group] }] }).ToListAsync();
        Assert.Equal(["ManagedBy", "Stage"], tags.Select(t => t.Key!).Order());
        await _ec2.DeleteTagsAsync(new DeleteTagsRequest { Resources = [group], Tags = [new Tag { Key = "Stage" }] });
        await _ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group });
        await AwsAssert.ErrorCode("InvalidGroup.NotFound", () => _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group] }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class Ec2TestsOnMoto(MotoServer cloud) : Ec2Tests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class Ec2TestsOnLocalCloud(LocalCloudTestServer cloud) : Ec2Tests(cloud);
