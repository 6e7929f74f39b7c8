using System.Text;
using Ops.Aws.Ec2;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using GetParameterRequest = Ops.Aws.Ssm.GetParameterRequest;
using SsmClient = Ops.Aws.Ssm.SsmClient;

namespace Ops.Stack.Fleet;

/// <summary>
/// create-ec2-instances: the stage's ECS container instances — the ECS-optimised AMI from its public SSM parameter, an
/// egress-only security group in the default VPC (or the stack's subnet's), the stack's instance profile, user data that
/// joins the cluster, tags. Instances of the stage already pending or running count; only the missing ones are launched.
/// </summary>
public sealed class InstanceProvisioner(StageContext context)
{
    readonly Ec2Client _ec2 = new(context.Connection);

    /// <summary>Ensures the security group and the stack's instance count; returns the changes made (or that would be).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var spec = context.Stack.Instances;
        var changes = new List<Change>();
        if (!WorkerLaunch.Of(context.Stack.Ecs, context.TasksRunAsProcesses).NeedsInstances)
        {
            context.Log.Info($"instances: none needed, the service's launch type is FARGATE (ecs.launch-type); nothing launched");
            return changes;
        }
        var existing = await FindInstancesAsync(_ec2, context, ["pending", "running"], cancellationToken);
        var missing = spec.Count - existing.Count;

        // Read everything a launch needs before the first change.
        string? ami = null;
        if (missing > 0) ami = await AmiAsync(cancellationToken);
        var vpc = await VpcAsync(cancellationToken);
        var group = await new WorkerSecurityGroup(context, _ec2).EnsureAsync(vpc, changes, cancellationToken);

        if (missing < 0)
            context.Log.Warning($"{existing.Count} instances of stage {context.Stack.Stage} are running, the stack wants {spec.Count}; none is terminated here (tasks may run on them) — terminate-ecs removes them all.");
        if (missing <= 0)
        {
            if (changes.Count == 0) context.Log.Info($"instances: up to date ({existing.Count} of {spec.Count}: {string.Join(", ", existing.Select(i => i.InstanceId))})");
            if (existing.Any(i => i.State?.Name == "pending")) await WaitRunningAsync(existing.Select(i => i.InstanceId!).ToList(), cancellationToken);
            return changes;
        }

        var change = new Change($"instances of {context.Stack.Ecs.Cluster}", "count", existing.Count.ToString(), $"{spec.Count} ({missing} × {spec.InstanceType}, {ami}, profile {spec.InstanceProfile})");
        changes.Add(change);
        await Mutation.ApplyAsync(context, change, async () =>
        {
            var launched = await _ec2.RunInstancesAsync(new RunInstancesRequest
            {
                ImageId = ami,
                InstanceType = spec.InstanceType,
                MinCount = missing,
                MaxCount = missing,
                IamInstanceProfile = new IamInstanceProfileSpecification { Name = spec.InstanceProfile },
                SecurityGroupIds = [group!],
                SubnetId = spec.Subnet,
                UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(UserData(context.Stack.Ecs.Cluster))),
                TagSpecifications = [Tags("instance"), Tags("volume")],
            }, cancellationToken);
            var ids = launched.Instances!.Select(i => i.InstanceId!).ToList();
            context.Log.Info($"launched {string.Join(", ", ids)}");
            await WaitRunningAsync(existing.Select(i => i.InstanceId!).Concat(ids).ToList(), cancellationToken);
        });
        return changes;
    }

    /// <summary>The user data that makes the ECS agent join <paramref name="cluster"/>.</summary>
    internal static string UserData(string cluster) => $"#!/bin/bash\necho ECS_CLUSTER={cluster} >> /etc/ecs/ecs.config\n";

    /// <summary>The Name tag that, with Project and Stage, marks the stage's container instances.</summary>
    internal static string NameTag(StageContext context) => $"{context.Stack.Ecs.Cluster}-ecs";

    TagSpecification Tags(string resourceType) => new()
    {
        ResourceType = resourceType,
        Tags = context.Stack.Tags.Append(new("Name", NameTag(context))).Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
    };

    /// <summary>The stage's container instances in one of <paramref name="states"/>, by their Name, Project and Stage tags.</summary>
    internal static async Task<List<Instance>> FindInstancesAsync(Ec2Client ec2, StageContext context, IReadOnlyList<string> states, CancellationToken ct)
    {
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters =
            [
                new Filter { Name = "tag:Name", Values = [NameTag(context)] },
                new Filter { Name = "tag:Project", Values = [context.Stack.Project] },
                new Filter { Name = "tag:Stage", Values = [context.Stack.Stage] },
                new Filter { Name = "instance-state-name", Values = states.ToList() },
            ],
        }, ct);
        return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Where(i => states.Contains(i.State?.Name ?? "")).ToList();
    }

    async Task<string> AmiAsync(CancellationToken ct)
    {
        var name = context.Stack.Instances.AmiParameter;
        try
        {
            return (await new SsmClient(context.Connection).GetParameterAsync(new GetParameterRequest { Name = name }, ct)).Parameter!.Value!;
        }
        catch (Exception e) when (AwsErrors.Is(e, "ParameterNotFound"))
        {
            throw new StackException($"instances.ami-parameter: {name} is not a public SSM parameter in {context.Connection.Region}; use one like /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id.");
        }
    }

    Task<string> VpcAsync(CancellationToken ct) => StageVpc.ResolveAsync(_ec2, context, ct);

    Task WaitRunningAsync(List<string> ids, CancellationToken ct) =>
        Waiting.UntilAsync(context, $"{ids.Count} instance(s)", async token =>
        {
            var instances = ((await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ids }, token)).Reservations ?? [])
                .SelectMany(r => r.Instances ?? []).ToList();
            var states = instances.GroupBy(i => i.State?.Name ?? "unknown").OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
            return (instances.Count == ids.Count && instances.All(i => i.State?.Name == "running"), string.Join(", ", states));
        }, ct);
}
