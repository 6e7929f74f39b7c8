using Ops.Aws.Lookups;
using Ops.Aws.Redshift;
using Ops.Stack.Core;
using Ops.Stack.Model;
using Ops.Stack.Secrets;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-redshift-cluster and create-streamtimeseries-redshift: a Redshift cluster (encrypted, not public, in the
/// warehouse security group), its master password generated into SSM when missing; waits until available.
/// </summary>
public sealed class WarehouseProvisioner(StageContext context, WarehouseSpec spec) : IStatusSource
{
    /// <summary>Length of a generated master password (Redshift allows 8–64, with upper, lower and a digit).</summary>
    public const int PasswordLength = 32;

    readonly RedshiftClient _redshift = new(context.Connection);

    string Resource => $"redshift cluster {spec.Cluster}";

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var group = await new SecurityGroupsProvisioner(context).RequireAsync(context.Stack.SecurityGroups.Warehouse, cancellationToken);
        var existing = await DescribeAsync(cancellationToken);
        var secrets = new SecretStore(context);
        var (password, passwordDrift) = await SettingDrift<ModifyClusterMessage>.GeneratedPasswordAsync(
            secrets, spec.PasswordSecret, PasswordLength, (m, p) => m.MasterUserPassword = p, cancellationToken);
        var changes = new List<Change>();
        if (existing == null)
        {
            var change = new Change(Resource, "cluster", null, $"{spec.Nodes} × {spec.NodeType}, database {spec.Database}, encrypted, not public");
            changes.Add(change);
            await Mutation.ApplyAsync(context, change, async () =>
            {
                await _redshift.CreateClusterAsync(new CreateClusterMessage
                {
                    ClusterIdentifier = spec.Cluster,
                    NodeType = spec.NodeType,
                    ClusterType = spec.Nodes > 1 ? "multi-node" : "single-node",
                    NumberOfNodes = spec.Nodes > 1 ? spec.Nodes : null,
                    DBName = spec.Database,
                    MasterUsername = spec.MasterUser,
                    MasterUserPassword = password,
                    Encrypted = true,
                    PubliclyAccessible = false,
                    VpcSecurityGroupIds = [group!],
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, cancellationToken);
                await WaitAvailableAsync(cancellationToken);
            });
            if (!context.DryRun && await DescribeAsync(cancellationToken) is { Endpoint: { } endpoint })
                context.Log.Info($"{Resource}: available at {endpoint.Address}:{endpoint.Port}, database {spec.Database}, user {spec.MasterUser} (password in SSM {secrets.ParameterName(spec.PasswordSecret)})");
            return changes;
        }
        if (existing.Encrypted != true)
            throw new CloudStateException($"{Resource} is not encrypted; turn encryption on with ModifyCluster Encrypted=true (Redshift migrates the data, which takes a while) or restore it from a snapshot into an encrypted cluster, then run the target again.");
        var modify = new ModifyClusterMessage { ClusterIdentifier = spec.Cluster };
        changes.AddRange(SettingDrift<ModifyClusterMessage>.ApplyAll(Resource, Differences(existing).Concat(passwordDrift), modify));
        if (changes.Count > 0)
            await Mutation.ApplyAsync(context, changes, async () =>
            {
                await _redshift.ModifyClusterAsync(modify, cancellationToken);
                await WaitAvailableAsync(cancellationToken);
            });
        var tags = (existing.Tags ?? []).Where(t => t.Key != null).ToDictionary(t => t.Key!, t => t.Value ?? "");
        changes.AddRange(await StackTags.EnsureAsync(context, Resource, tags, async missing =>
        {
            var account = await AccountId.OfAsync(context, cancellationToken);
            await _redshift.CreateTagsAsync(new CreateTagsMessage
            {
                ResourceName = $"arn:aws:redshift:{context.Connection.Region}:{account}:cluster:{spec.Cluster}",
                Tags = missing.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
            }, cancellationToken);
        }));
        if (changes.Count == 0) context.Log.Info($"{Resource}: up to date ({existing.ClusterStatus}, {existing.Endpoint?.Address}:{existing.Endpoint?.Port})");
        return changes;
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var existing = await DescribeAsync(cancellationToken);
        if (existing == null) return [ResourceStatus.Missing("redshift-cluster", spec.Cluster)];
        var drift = Differences(existing).Select(d => d.ToString()).ToList();
        if (existing.Encrypted != true) drift.Add("encrypted: false → true");
        var state = existing.Endpoint is { } e ? $"{existing.ClusterStatus} {e.Address}:{e.Port}" : existing.ClusterStatus ?? "unknown";
        return [new ResourceStatus("redshift-cluster", spec.Cluster, true, state, existing.ClusterStatus == "available", drift)];
    }

    /// <summary>The cluster's endpoint, or null when it does not exist (read calls only).</summary>
    public async Task<Endpoint?> EndpointAsync(CancellationToken cancellationToken) => (await DescribeAsync(cancellationToken))?.Endpoint;

    internal IEnumerable<SettingDrift<ModifyClusterMessage>> Differences(Cluster existing)
    {
        var nodes = existing.NumberOfNodes ?? 1;
        if (existing.NodeType != spec.NodeType || nodes != spec.Nodes)
            yield return new("nodes", $"{nodes} × {existing.NodeType}", $"{spec.Nodes} × {spec.NodeType}", m =>
            {
                m.NodeType = spec.NodeType;
                m.ClusterType = spec.Nodes > 1 ? "multi-node" : "single-node";
                m.NumberOfNodes = spec.Nodes > 1 ? spec.Nodes : null;
            });
        if (existing.PubliclyAccessible == true)
            yield return new("publicly accessible", "true", "false", m => m.PubliclyAccessible = false);
    }

    Task<Cluster?> DescribeAsync(CancellationToken ct) => RedshiftLookup.ClusterAsync(_redshift, spec.Cluster, ct);

    Task WaitAvailableAsync(CancellationToken ct) =>
        Waiting.UntilAsync(context, Resource, async token =>
        {
            var status = (await DescribeAsync(token))?.ClusterStatus ?? "missing";
            return (status == "available", status);
        }, ct);
}
