using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Services.Rds;

internal sealed partial class RdsService
{
    static AwsError DbNotFound(string id) => new("DBInstanceNotFound", $"DBInstance {id} not found.", 404);

    JsonNode? CreateDBInstance(JsonObject i, RequestContext c) => Write(() =>
    {
        var id = RdsRules.CreateInstance(i);
        Sweep(c.Now);
        if (State.Instances.ContainsKey(id)) throw new AwsError("DBInstanceAlreadyExists", "DB instance already exists");
        if (Optional(i, "DBSubnetGroupName")?.ToLowerInvariant() is { } g && !State.SubnetGroups.ContainsKey(g))
            throw new AwsError("DBSubnetGroupNotFoundFault", $"DBSubnetGroup {g} not found.", 404);
        var spec = i.DeepClone().AsObject();
        spec.Remove("MasterUserPassword"); // never stored
        spec["DBInstanceIdentifier"] = id;
        if (spec["DBSubnetGroupName"] is JsonValue group) spec["DBSubnetGroupName"] = ((string)group!).ToLowerInvariant();
        if (_backend?.Provision(id, Optional(i, "Engine") ?? "postgres", Optional(i, "MasterUsername"), Optional(i, "MasterUserPassword"), Optional(i, "DBName")) is { } endpoint)
        {
            spec["LocalAddress"] = endpoint.Address;
            spec["Port"] = endpoint.Port;
        }
        State.Instances[id] = new RdsInstance
        {
            Spec = spec,
            Life = new Lifecycle { Created = c.Now },
            ResourceId = Identifiers.Stable("db-", c.Account, c.Region, id, c.Now.ToString("O")),
        };
        SetTags(c.Arn("rds", $"db:{id}"), i["Tags"] as JsonArray);
        return new JsonObject { ["DBInstance"] = Describe(id, State.Instances[id], c) };
    });

    JsonNode? DescribeDBInstances(JsonObject i, RequestContext c) => Read(() =>
    {
        Sweep(c.Now);
        var id = Optional(i, "DBInstanceIdentifier")?.ToLowerInvariant();
        if (id != null && !State.Instances.ContainsKey(id)) throw DbNotFound(id);
        var all = State.Instances.Where(kv => id == null || kv.Key == id).Select(kv => (JsonNode?)Describe(kv.Key, kv.Value, c)).ToList();
        return Paginate(i, all, "DBInstances", "Marker", "MaxRecords", 100);
    });

    /// <summary>What ModifyDBInstance holds for the maintenance window unless ApplyImmediately (per the API reference); the rest applies at once.</summary>
    static readonly string[] Deferred =
    [
        "DBInstanceClass", "AllocatedStorage", "BackupRetentionPeriod", "EngineVersion", "MultiAZ", "StorageType", "Iops",
        "StorageThroughput", "DBSubnetGroupName", "CACertificateIdentifier", "LicenseModel",
    ];

    JsonNode? ModifyDBInstance(JsonObject i, RequestContext c) => Change(i, c, (id, db) =>
    {
        var now = Flag(i, "ApplyImmediately");
        // The password always applies at once (AWS applies it asynchronously whatever ApplyImmediately says).
        if (Optional(i, "MasterUserPassword") is { } password) _backend?.SetPassword(id, password);
        var rename = Optional(i, "NewDBInstanceIdentifier") is { } newId ? Identifiers.Lowered(newId, "NewDBInstanceIdentifier", 63) : null;
        if (rename != null && rename != id && State.Instances.ContainsKey(rename)) throw new AwsError("DBInstanceAlreadyExists", $"DB instance {rename} already exists");
        if (Optional(i, "DBSubnetGroupName")?.ToLowerInvariant() is { } g && !State.SubnetGroups.ContainsKey(g))
            throw new AwsError("DBSubnetGroupNotFoundFault", $"DBSubnetGroup {g} not found.", 404);
        foreach (var (k, v) in i)
        {
            if (k is "DBInstanceIdentifier" or "ApplyImmediately" or "MasterUserPassword" or "NewDBInstanceIdentifier") continue;
            var value = k == "DBSubnetGroupName" ? JsonValue.Create(((string)v!).ToLowerInvariant()) : v;
            if (Deferred.Contains(k)) db.Pending.Hold(k, value);
            else db.Spec[k] = value?.DeepClone();
        }
        if (rename != null && !now) db.Pending.Hold("DBInstanceIdentifier", rename);
        if (!now) return new JsonObject { ["DBInstance"] = Describe(id, db, c) };

        // Applied as soon as possible: the instance is modifying for a step, then everything pending is in effect.
        db.Life.Modified = c.Now;
        db.Pending.AppliesAt = c.Now + _delay;
        db.Pending.Values.Remove("DBInstanceIdentifier");
        db.Pending.ApplyIfDue(db.Spec, c.Now);
        if (rename != null && rename != id)
        {
            State.Instances.Remove(id);
            State.Instances[rename] = db;
            db.Spec["DBInstanceIdentifier"] = rename;
            if (State.Tags.Remove(c.Arn("rds", $"db:{id}"), out var tags)) State.Tags[c.Arn("rds", $"db:{rename}")] = tags;
            id = rename;
        }
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
        var final = Optional(i, "FinalDBSnapshotIdentifier") is { } f ? Identifiers.Lowered(f, "FinalDBSnapshotIdentifier", 255) : null;
        if (!Flag(i, "SkipFinalSnapshot") && final == null)
            throw new AwsError("InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        if (final != null && State.Snapshots.ContainsKey(final))
            throw new AwsError("DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {final} already exists.");
        if (final != null) State.Snapshots[final] = NewSnapshot(id, db, c);
        if (final != null) db.Spec["LocalFinalSnapshot"] = final; // where the backend keeps the data when the deletion completes
        db.Life.Deleted = c.Now;
        return new JsonObject { ["DBInstance"] = Describe(id, db, c) };
    });

    /// <summary>A change to one live instance, named by DBInstanceIdentifier, under the lock; persisted.</summary>
    JsonNode? Change(JsonObject i, RequestContext c, Func<string, RdsInstance, JsonNode?> change) => Write(() =>
    {
        Sweep(c.Now);
        var id = Required(i, "DBInstanceIdentifier").ToLowerInvariant();
        if (!State.Instances.TryGetValue(id, out var db) || db.Life.Deleted != null) throw DbNotFound(id);
        return change(id, db);
    });

    /// <summary>The lifecycle's status, held at the backend's while a real database is still starting (or has failed).</summary>
    string Status(string id, RdsInstance db, RequestContext c)
    {
        var status = db.Life.Status(c.Now, _delay, ["creating", "backing-up", "available"], "modifying", "deleting");
        return status is "available" or "backing-up" && _backend?.Pending(id) is { } pending ? pending : status;
    }

    JsonObject Describe(string id, RdsInstance db, RequestContext c)
    {
        var s = db.Spec;
        var o = new JsonObject
        {
            ["DBInstanceIdentifier"] = id,
            ["DBInstanceClass"] = s["DBInstanceClass"]?.DeepClone(),
            ["Engine"] = s["Engine"]?.DeepClone(),
            ["EngineVersion"] = s["EngineVersion"]?.DeepClone() ?? "16.3",
            ["DBInstanceStatus"] = Status(id, db, c),
            ["MasterUsername"] = s["MasterUsername"]?.DeepClone(),
            ["DBName"] = s["DBName"]?.DeepClone(),
            ["AllocatedStorage"] = s["AllocatedStorage"]?.DeepClone() ?? 20,
            ["BackupRetentionPeriod"] = s["BackupRetentionPeriod"]?.DeepClone() ?? 1,
            ["CopyTagsToSnapshot"] = s["CopyTagsToSnapshot"]?.DeepClone() ?? false,
            ["InstanceCreateTime"] = db.Life.Created.ToString("O"),
            ["MultiAZ"] = s["MultiAZ"]?.DeepClone() ?? false,
            ["StorageEncrypted"] = s["StorageEncrypted"]?.DeepClone() ?? false,
            ["StorageType"] = s["StorageType"]?.DeepClone() ?? "gp3",
            ["DeletionProtection"] = s["DeletionProtection"]?.DeepClone() ?? false,
            ["PubliclyAccessible"] = s["PubliclyAccessible"]?.DeepClone() ?? false,
            ["DBInstanceArn"] = c.Arn("rds", $"db:{id}"),
            ["DbiResourceId"] = db.ResourceId ?? Identifiers.Stable("db-", c.Account, c.Region, id, db.Life.Created.ToString("O")),
            ["PendingModifiedValues"] = db.Pending.Describe([.. Deferred, "DBInstanceIdentifier"]),
            ["Endpoint"] = new JsonObject { ["Address"] = (string?)s["LocalAddress"] ?? LocalCloudHosts.Simulated($"{id}"), ["Port"] = s["Port"]?.DeepClone() ?? 5432 },
            ["VpcSecurityGroups"] = new JsonArray(Strings(s, "VpcSecurityGroupIds").Select(g => (JsonNode?)new JsonObject { ["VpcSecurityGroupId"] = g, ["Status"] = "active" }).ToArray()),
            ["TagList"] = TagList.Of(State.Tags.GetValueOrDefault(c.Arn("rds", $"db:{id}"))),
        };
        if ((string?)s["DBSubnetGroupName"] is { } g && State.SubnetGroups.TryGetValue(g, out var group)) o["DBSubnetGroup"] = group.DeepClone();
        return o;
    }
}
