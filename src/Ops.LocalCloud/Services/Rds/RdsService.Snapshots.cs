using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

internal sealed partial class RdsService
{
    static AwsError SnapshotNotFound(string id) => new("DBSnapshotNotFound", $"DBSnapshot {id} not found.", 404);

    JsonNode? CreateDBSnapshot(JsonObject i, RequestContext c) => Change(i, c, (id, db) =>
    {
        var snapshotId = Identifiers.Lowered(Required(i, "DBSnapshotIdentifier"), "DBSnapshotIdentifier", 255);
        if (State.Snapshots.ContainsKey(snapshotId)) throw new AwsError("DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {snapshotId} already exists.");
        State.Snapshots[snapshotId] = NewSnapshot(id, db, c);
        return new JsonObject { ["DBSnapshot"] = DescribeSnapshot(snapshotId, State.Snapshots[snapshotId], c) };
    });

    JsonNode? DescribeDBSnapshots(JsonObject i, RequestContext c) => Read(() =>
    {
        Sweep(c.Now);
        var id = Optional(i, "DBSnapshotIdentifier")?.ToLowerInvariant();
        if (id != null && !State.Snapshots.ContainsKey(id)) throw SnapshotNotFound(id);
        var instance = Optional(i, "DBInstanceIdentifier")?.ToLowerInvariant();
        var all = State.Snapshots.Where(kv => (id == null || kv.Key == id) && (instance == null || (string?)kv.Value.Spec["DBInstanceIdentifier"] == instance))
            .Select(kv => (JsonNode?)DescribeSnapshot(kv.Key, kv.Value, c)).ToList();
        return Paginate(i, all, "DBSnapshots", "Marker", "MaxRecords", 100);
    });

    JsonNode? DeleteDBSnapshot(JsonObject i, RequestContext c) => Write(() =>
    {
        Sweep(c.Now);
        var id = Required(i, "DBSnapshotIdentifier").ToLowerInvariant();
        if (!State.Snapshots.TryGetValue(id, out var s) || s.Life.Deleted != null) throw SnapshotNotFound(id);
        s.Life.Deleted = c.Now;
        return new JsonObject { ["DBSnapshot"] = DescribeSnapshot(id, s, c) };
    });

    static RdsSnapshot NewSnapshot(string instance, RdsInstance db, RequestContext c) => new()
    {
        Spec = new JsonObject
        {
            ["DBInstanceIdentifier"] = instance,
            ["Engine"] = db.Spec["Engine"]?.DeepClone(),
            ["AllocatedStorage"] = db.Spec["AllocatedStorage"]?.DeepClone() ?? 20,
            ["Encrypted"] = db.Spec["StorageEncrypted"]?.DeepClone() ?? false,
            ["SnapshotType"] = "manual",
        },
        Life = new Lifecycle { Created = c.Now },
    };

    JsonObject DescribeSnapshot(string id, RdsSnapshot s, RequestContext c)
    {
        var o = s.Spec.DeepClone().AsObject();
        o["DBSnapshotIdentifier"] = id;
        o["Status"] = s.Life.Status(c.Now, _delay, ["creating", "available"], "modifying", "deleting");
        o["SnapshotCreateTime"] = s.Life.Created.ToString("O");
        o["DBSnapshotArn"] = c.Arn("rds", $"snapshot:{id}");
        return o;
    }
}
