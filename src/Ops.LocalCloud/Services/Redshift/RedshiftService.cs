using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Redshift;

/// <summary>Redshift: clusters (creating → available; modifying; deleting), subnet groups, tags.</summary>
internal sealed partial class RedshiftService : ServiceHandler<RedshiftState>, IResumesBackends
{
    readonly TimeSpan _delay;
    readonly IDatabaseBackend? _backend;
    public override string Name => "redshift";

    public RedshiftService(StateStore store, LifecycleDelays delays, IDatabaseBackend? backend = null) : base(store)
    {
        _delay = delays.Warehouse;
        _backend = backend;
        On("CreateCluster", CreateCluster);
        On("DescribeClusters", DescribeClusters);
        On("ModifyCluster", ModifyCluster);
        On("DeleteCluster", DeleteCluster);
        ServeSubnetGroups("Cluster", "Description", s => s.SubnetGroups, RedshiftRules.SubnetGroupName);
        On("CreateTags", CreateTags);
    }

    JsonNode? CreateTags(JsonObject i, RequestContext c) => Write(() =>
    {
        var arn = Required(i, "ResourceName");
        var (kind, id) = ArnParts(arn, "redshift");
        var exists = kind switch
        {
            "cluster" => State.Clusters.ContainsKey(id),
            "subnetgroup" => State.SubnetGroups.ContainsKey(id),
            _ => throw new AwsError("InvalidTag", $"The ARN {arn} is not valid; expected arn:aws:redshift:REGION:ACCOUNT:cluster:NAME."),
        };
        if (!exists) throw new AwsError("ResourceNotFoundFault", $"The resource {arn} was not found.", 404);
        MergeTags(TagsOf(State.Tags, arn), i["Tags"]);
        return new JsonObject();
    });

    /// <summary>Removes clusters whose deletion has run its course (and their databases).</summary>
    void Sweep(DateTimeOffset now)
    {
        foreach (var cluster in State.Clusters.Values) cluster.Pending.ApplyIfDue(cluster.Spec, now);
        foreach (var gone in State.Clusters.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList())
        {
            var keepAs = (string?)State.Clusters[gone].Spec["LocalFinalSnapshot"];
            State.Clusters.Remove(gone);
            _backend?.Deprovision(gone, keepAs);
        }
    }

    /// <summary>Starts the real databases of the clusters kept in the state (the local cloud restarted); their endpoints may move.</summary>
    public void ResumeBackends() => Write(() =>
    {
        if (_backend == null) return null;
        foreach (var (id, cluster) in State.Clusters.Where(kv => kv.Value.Life.Deleted == null))
            if (_backend.Resume(id) is { } endpoint)
            {
                cluster.Spec["LocalAddress"] = endpoint.Address;
                cluster.Spec["Port"] = endpoint.Port;
            }
        return null;
    });
}
