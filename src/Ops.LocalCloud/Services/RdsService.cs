using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>RDS: DB instances (creating → backing-up → available; modifying; deleting), snapshots, subnet groups, tags.</summary>
internal sealed class RdsService : ServiceHandler<RdsService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Instance> Instances { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, Snapshot> Snapshots { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, JsonObject> SubnetGroups { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
    }

    public sealed class Instance
    {
        public JsonObject Spec { get; set; } = new();
        public Lifecycle Life { get; set; } = new();
    }

    public sealed class Snapshot
    {
        public JsonObject Spec { get; set; } = new();
        public Lifecycle Life { get; set; } = new();
    }

    readonly TimeSpan _delay;
    readonly IDatabaseBackend? _backend;
    public override string Name => "rds";

    public RdsService(StateStore store, LifecycleDelays delays, IDatabaseBackend? backend = null) : base(store)
    {
        _delay = delays.Database;
        _backend = backend;
        On("CreateDBInstance", (i, c) =>
        {
            var id = Required(i, "DBInstanceIdentifier");
            lock (Gate)
            {
                Sweep(c.Now);
                if (State.Instances.ContainsKey(id)) throw new AwsError("DBInstanceAlreadyExists", $"DB instance already exists");
                if (Optional(i, "DBSubnetGroupName") is { } g && !State.SubnetGroups.ContainsKey(g))
                    throw new AwsError("DBSubnetGroupNotFoundFault", $"DBSubnetGroup {g} not found.", 404);
                var spec = i.DeepClone().AsObject();
                spec.Remove("MasterUserPassword"); // never stored
                if (_backend?.Provision(id, Optional(i, "Engine") ?? "postgres", Optional(i, "MasterUsername"), Optional(i, "MasterUserPassword"), Optional(i, "DBName")) is { } endpoint)
                {
                    spec["LocalAddress"] = endpoint.Address;
                    spec["Port"] = endpoint.Port;
                }
                State.Instances[id] = new Instance { Spec = spec, Life = new Lifecycle { Created = c.Now } };
                SetTags(c.Arn("rds", $"db:{id}"), i["Tags"] as JsonArray);
                Persist();
                return new JsonObject { ["DBInstance"] = Describe(id, State.Instances[id], c) };
            }
        });
        On("DescribeDBInstances", (i, c) =>
        {
            lock (Gate)
            {
                Sweep(c.Now);
                var id = Optional(i, "DBInstanceIdentifier");
                if (id != null && !State.Instances.ContainsKey(id)) throw DbNotFound(id);
                var all = State.Instances.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)Describe(kv.Key, kv.Value, c)).ToList();
                return Paginate(i, all, "DBInstances", "Marker", "MaxRecords", 100);
            }
        });
        On("ModifyDBInstance", (i, c) => Change(i, c, (id, db) =>
        {
            foreach (var (k, v) in i) if (k is not ("DBInstanceIdentifier" or "ApplyImmediately" or "MasterUserPassword")) db.Spec[k] = v?.DeepClone();
            db.Life.Modified = c.Now;
            return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
        }));
        On("RebootDBInstance", (i, c) => Change(i, c, (id, db) =>
        {
            db.Life.Modified = c.Now;
            return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
        }));
        On("DeleteDBInstance", (i, c) => Change(i, c, (id, db) =>
        {
            if (db.Spec["DeletionProtection"]?.GetValue<bool>() == true)
                throw new AwsError("InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.");
            var final = Optional(i, "FinalDBSnapshotIdentifier");
            if (!Flag(i, "SkipFinalSnapshot") && final == null)
                throw new AwsError("InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
            if (final != null) State.Snapshots[final] = NewSnapshot(final, id, db, c);
            db.Life.Deleted = c.Now;
            return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
        }));
        On("CreateDBSnapshot", (i, c) => Change(i, c, (id, db) =>
        {
            var snapshotId = Required(i, "DBSnapshotIdentifier");
            if (State.Snapshots.ContainsKey(snapshotId)) throw new AwsError("DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {snapshotId} already exists.");
            State.Snapshots[snapshotId] = NewSnapshot(snapshotId, id, db, c);
            return new JsonObject { ["DBSnapshot"] = DescribeSnapshot(snapshotId, State.Snapshots[snapshotId], c) };
        }));
        On("DescribeDBSnapshots", (i, c) =>
        {
            lock (Gate)
            {
                Sweep(c.Now);
                var id = Optional(i, "DBSnapshotIdentifier");
                if (id != null && !State.Snapshots.ContainsKey(id)) throw new AwsError("DBSnapshotNotFound", $"DBSnapshot {id} not found.", 404);
                var instance = Optional(i, "DBInstanceIdentifier");
                var all = State.Snapshots.Where(kv => (id == null || kv.Key == id) && (instance == null || (string?)kv.Value.Spec["DBInstanceIdentifier"] == instance))
                    .Select(kv => (JsonNode?)DescribeSnapshot(kv.Key, kv.Value, c)).ToList();
                return Paginate(i, all, "DBSnapshots", "Marker", "MaxRecords", 100);
            }
        });
        On("DeleteDBSnapshot", (i, c) =>
        {
            lock (Gate)
            {
                Sweep(c.Now);
                var id = Required(i, "DBSnapshotIdentifier");
                if (!State.Snapshots.TryGetValue(id, out var s) || s.Life.Deleted != null) throw new AwsError("DBSnapshotNotFound", $"DBSnapshot {id} not found.", 404);
                s.Life.Deleted = c.Now;
                Persist();
                return new JsonObject { ["DBSnapshot"] = DescribeSnapshot(id, s, c) };
            }
        });
        ServeSubnetGroups("DB", "DBSubnetGroupDescription", s => s.SubnetGroups);
        On("AddTagsToResource", (i, _) =>
        {
            lock (Gate)
            {
                SetTags(Required(i, "ResourceName"), i["Tags"] as JsonArray);
                Persist();
                return new JsonObject();
            }
        });
        On("ListTagsForResource", (i, _) =>
        {
            lock (Gate)
                return new JsonObject { ["TagList"] = TagList(State.Tags.GetValueOrDefault(Required(i, "ResourceName"))) };
        });
    }

    static AwsError DbNotFound(string id) => new("DBInstanceNotFound", $"DBInstance {id} not found.", 404);

    JsonNode? Change(JsonObject i, RequestContext c, Func<string, Instance, JsonNode?> change)
    {
        lock (Gate)
        {
            Sweep(c.Now);
            var id = Required(i, "DBInstanceIdentifier");
            if (!State.Instances.TryGetValue(id, out var db) || db.Life.Deleted != null) throw DbNotFound(id);
            var result = change(id, db);
            Persist();
            return result;
        }
    }

    void Sweep(DateTimeOffset now)
    {
        foreach (var gone in State.Instances.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList())
        {
            State.Instances.Remove(gone);
            _backend?.Deprovision(gone);
        }
        foreach (var gone in State.Snapshots.Where(kv => kv.Value.Life.Gone(now, _delay)).Select(kv => kv.Key).ToList()) State.Snapshots.Remove(gone);
    }

    Snapshot NewSnapshot(string id, string instance, Instance db, RequestContext c) => new()
    {
        Spec = new JsonObject
        {
            ["DBInstanceIdentifier"] = instance, ["Engine"] = db.Spec["Engine"]?.DeepClone(), ["AllocatedStorage"] = db.Spec["AllocatedStorage"]?.DeepClone() ?? 20,
            ["Encrypted"] = db.Spec["StorageEncrypted"]?.DeepClone() ?? false, ["SnapshotType"] = "manual",
        },
        Life = new Lifecycle { Created = c.Now },
    };

    JsonObject Describe(string id, Instance db, RequestContext c)
    {
        var s = db.Spec;
        var o = new JsonObject
        {
            ["DBInstanceIdentifier"] = id,
            ["DBInstanceClass"] = s["DBInstanceClass"]?.DeepClone(),
            ["Engine"] = s["Engine"]?.DeepClone(),
            ["EngineVersion"] = s["EngineVersion"]?.DeepClone() ?? "16.3",
            ["DBInstanceStatus"] = db.Life.Status(c.Now, _delay, ["creating", "backing-up", "available"], "modifying", "deleting"),
            ["MasterUsername"] = s["MasterUsername"]?.DeepClone(),
            ["DBName"] = s["DBName"]?.DeepClone(),
            ["AllocatedStorage"] = s["AllocatedStorage"]?.DeepClone() ?? 20,
            ["InstanceCreateTime"] = db.Life.Created.ToString("O"),
            ["MultiAZ"] = s["MultiAZ"]?.DeepClone() ?? false,
            ["StorageEncrypted"] = s["StorageEncrypted"]?.DeepClone() ?? false,
            ["StorageType"] = s["StorageType"]?.DeepClone() ?? "gp3",
            ["DeletionProtection"] = s["DeletionProtection"]?.DeepClone() ?? false,
            ["PubliclyAccessible"] = s["PubliclyAccessible"]?.DeepClone() ?? false,
            ["DBInstanceArn"] = c.Arn("rds", $"db:{id}"),
            ["DbiResourceId"] = "db-" + id.GetHashCode().ToString("X8"),
            ["Endpoint"] = new JsonObject { ["Address"] = (string?)s["LocalAddress"] ?? $"{id}.local-cloud.internal", ["Port"] = s["Port"]?.DeepClone() ?? 5432 },
            ["VpcSecurityGroups"] = new JsonArray(Strings(s, "VpcSecurityGroupIds").Select(g => (JsonNode?)new JsonObject { ["VpcSecurityGroupId"] = g, ["Status"] = "active" }).ToArray()),
            ["TagList"] = TagList(State.Tags.GetValueOrDefault(c.Arn("rds", $"db:{id}"))),
        };
        if ((string?)s["DBSubnetGroupName"] is { } g && State.SubnetGroups.TryGetValue(g, out var group)) o["DBSubnetGroup"] = group.DeepClone();
        return o;
    }

    JsonObject DescribeSnapshot(string id, Snapshot s, RequestContext c)
    {
        var o = s.Spec.DeepClone().AsObject();
        o["DBSnapshotIdentifier"] = id;
        o["Status"] = s.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting");
        o["SnapshotCreateTime"] = s.Life.Created.ToString("O");
        o["DBSnapshotArn"] = c.Arn("rds", $"snapshot:{id}");
        return o;
    }

    void SetTags(string arn, JsonArray? tags) => MergeTags(TagsOf(State.Tags, arn), tags);

    internal static JsonArray TagList(Dictionary<string, string>? tags) =>
        new((tags ?? []).Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());

}
