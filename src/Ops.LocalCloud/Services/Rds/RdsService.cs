using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Rds;

/// <summary>RDS: DB instances (creating → backing-up → available; modifying; deleting), snapshots, subnet groups, tags.</summary>
internal sealed partial class RdsService : ServiceHandler<RdsState>, IResumesBackends
{
    readonly TimeSpan _delay;
    readonly IDatabaseBackend? _backend;
    public override string Name => "rds";

    public RdsService(StateStore store, LifecycleDelays delays, IDatabaseBackend? backend = null) : base(store)
    {
        _delay = delays.Database;
        _backend = backend;
        On("CreateDBInstance", CreateDBInstance);
        On("DescribeDBInstances", DescribeDBInstances);
        On("ModifyDBInstance", ModifyDBInstance);
        On("RebootDBInstance", RebootDBInstance);
        On("DeleteDBInstance", DeleteDBInstance);
        On("CreateDBSnapshot", CreateDBSnapshot);
        On("DescribeDBSnapshots", DescribeDBSnapshots);
        On("DeleteDBSnapshot", DeleteDBSnapshot);
        ServeSubnetGroups("DB", "DBSubnetGroupDescription", s => s.SubnetGroups, RdsRules.SubnetGroupName);
        On("AddTagsToResource", AddTagsToResource);
        On("ListTagsForResource", ListTagsForResource);
    }

    /// <summary>Starts the real databases of the instances kept in the state (the local cloud restarted); their endpoints may move.</summary>
    public void ResumeBackends() => Write(() =>
    {
        if (_backend == null) return null;
        foreach (var (id, db) in State.Instances.Where(kv => kv.Value.Life.Deleted == null))
            if (_backend.Resume(id) is { } endpoint)
            {
                db.Spec["LocalAddress"] = endpoint.Address;
                db.Spec["Port"] = endpoint.Port;
            }
        return null;
    });

    /// <summary>Removes instances and snapshots whose deletion has run its course (and their backends).</summary>
    void Sweep(DateTimeOffset now)
    {
        foreach (var gone in State.Instances.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList())
        {
            var keepAs = (string?)State.Instances[gone].Spec["LocalFinalSnapshot"];
            State.Instances.Remove(gone);
            _backend?.Deprovision(gone, keepAs);
        }
        foreach (var db in State.Instances.Values) db.Pending.ApplyIfDue(db.Spec, now);
        foreach (var gone in State.Snapshots.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList()) State.Snapshots.Remove(gone);
    }
}
