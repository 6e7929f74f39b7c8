using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services;

internal sealed partial class RdsService
{
    static AwsError DbNotFound(string id) => new("DBInstanceNotFound", $"DBInstance {id} not found.", 404);

    JsonNode? CreateDBInstance(JsonObject i, RequestContext c) => Write(() =>
    {
        var id = Required(i, "DBInstanceIdentifier");
        Sweep(c.Now);
        if (State.Instances.ContainsKey(id)) throw new AwsError("DBInstanceAlreadyExists", "DB instance already exists");
        if (Optional(i, "DBSubnetGroupName") is { } g && !State.SubnetGroups.ContainsKey(g))
            throw new AwsError("DBSubnetGroupNotFoundFault", $"DBSubnetGroup {g} not found.", 404);
        var spec = i.DeepClone().AsObject();
        spec.Remove("MasterUserPassword"); // never stored
        if (_backend?.Provision(id, Optional(i, "Engine") ?? "postgres", Optional(i, "MasterUsername"), Optional(i, "MasterUserPassword"), Optional(i, "DBName")) is { } endpoint)
        {
            spec["LocalAddress"] = endpoint.Address;
            spec["Port"] = endpoint.Port;
        }
        State.Instances[id] = new RdsInstance { Spec = spec, Life = new Lifecycle { Created = c.Now } };
        SetTags(c.Arn("rds", $"db:{id}"), i["Tags"] as JsonArray);
        return new JsonObject { ["DBInstance"] = Describe(id, State.Instances[id], c) };
    });

    JsonNode? DescribeDBInstances(JsonObject i, RequestContext c) => Read(() =>
    {
        Sweep(c.Now);
        var id = Optional(i, "DBInstanceIdentifier");
        if (id != null && !State.Instances.ContainsKey(id)) throw DbNotFound(id);
        var all = State.Instances.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)Describe(kv.Key, kv.Value, c)).ToList();
        return Paginate(i, all, "DBInstances", "Marker", "MaxRecords", 100);
    });

    JsonNode? ModifyDBInstance(JsonObject i, RequestContext c) => Change(i, c, (id, db) =>
    {
        foreach (var (k, v) in i) if (k is not ("DBInstanceIdentifier" or "ApplyImmediately" or "MasterUserPassword")) db.Spec[k] = v?.DeepClone();
        db.Life.Modified = c.Now;
        return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
    });

    JsonNode? RebootDBInstance(JsonObject i, RequestContext c) => Change(i, c, (id, db) =>
    {
        db.Life.Modified = c.Now;
        return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
    });

    JsonNode? DeleteDBInstance(JsonObject i, RequestContext c) => Change(i, c, (id, db) =>
    {
        if (db.Spec["DeletionProtection"]?.GetValue<bool>() == true)
            throw new AwsError("InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.");
        var final = Optional(i, "FinalDBSnapshotIdentifier");
        if (!Flag(i, "SkipFinalSnapshot") && final == null)
            throw new AwsError("InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        if (final != null) State.Snapshots[final] = NewSnapshot(id, db, c);
        db.Life.Deleted = c.Now;
        return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
    });

    /// <summary>A change to one live instance, named by DBInstanceIdentifier, under the lock; persisted.</summary>
    JsonNode? Change(JsonObject i, RequestContext c, Func<string, RdsInstance, JsonNode?> change) => Write(() =>
    {
        Sweep(c.Now);
        var id = Required(i, "DBInstanceIdentifier");
        if (!State.Instances.TryGetValue(id, out var db) || db.Life.Deleted != null) throw DbNotFound(id);
        return change(id, db);
    });

    JsonObject Describe(string id, RdsInstance db, RequestContext c)
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
            ["TagList"] = TagList.Of(State.Tags.GetValueOrDefault(c.Arn("rds", $"db:{id}"))),
        };
        if ((string?)s["DBSubnetGroupName"] is { } g && State.SubnetGroups.TryGetValue(g, out var group)) o["DBSubnetGroup"] = group.DeepClone();
        return o;
    }
}
