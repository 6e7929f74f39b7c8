using System.Text.Json.Nodes;
using Ops.Contracts;
using Ops.LocalCloud.Protocol;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>One emulated service: its model, its operations, and its state (loaded at start, saved after changes).</summary>
internal abstract class ServiceHandler
{
    readonly Dictionary<string, Func<JsonObject, RequestContext, CancellationToken, Task<JsonNode?>>> _operations = new();
    protected readonly object Gate = new();

    /// <summary>The botocore service name (its model file).</summary>
    public abstract string Name { get; }

    public ServiceModel Model => ServiceModel.Load(Name);

    public IEnumerable<string> Operations => _operations.Keys;

    protected void On(string operation, Func<JsonObject, RequestContext, JsonNode?> handler) =>
        _operations[operation] = (input, context, _) => Task.FromResult(handler(input, context));

    protected void OnAsync(string operation, Func<JsonObject, RequestContext, CancellationToken, Task<JsonNode?>> handler) =>
        _operations[operation] = handler;

    public Task<JsonNode?> HandleAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        if (!_operations.TryGetValue(operation, out var handler))
            throw new AwsError(Model.Protocol == AwsProtocol.Json ? "UnknownOperationException" : "InvalidAction",
                $"The local cloud does not implement {Name} {operation}.", 400);
        return handler(input, context, cancellationToken);
    }

    /// <summary>The error AWS sends for too many requests, in this service's dialect.</summary>
    public virtual AwsError Throttling() => Model.Protocol == AwsProtocol.Json
        ? new AwsError("ThrottlingException", "Rate exceeded", 400)
        : new AwsError("Throttling", "Rate exceeded", 400);

    // Input helpers: values arrive keyed by model member names.
    /// <summary>A page of <paramref name="all"/> by an opaque offset token, in the service's own token and limit names.</summary>
    protected static JsonObject Paginate(JsonObject input, IEnumerable<JsonNode?> all, string member, string tokenMember, string limitMember, int defaultLimit,
        string? outTokenMember = null)
    {
        var list = all.ToList();
        var limit = (int)(Number(input, limitMember) ?? defaultLimit);
        var start = int.TryParse(Optional(input, tokenMember), out var n) ? n : 0;
        var result = new JsonObject { [member] = new JsonArray(list.Skip(start).Take(limit).ToArray()) };
        if (start + limit < list.Count) result[outTokenMember ?? tokenMember] = (start + limit).ToString();
        return result;
    }

    /// <summary>Adds or replaces tags from a wire list ([{Key, Value}], or another casing) in a tag map.</summary>
    protected static void MergeTags(Dictionary<string, string> target, JsonNode? tags, string keyName = "Key", string valueName = "Value")
    {
        foreach (var t in tags as JsonArray ?? []) target[(string)t![keyName]!] = (string?)t[valueName] ?? "";
    }

    /// <summary>The tag map of a resource, created empty on first use.</summary>
    protected static Dictionary<string, string> TagsOf(Dictionary<string, Dictionary<string, string>> all, string resource) =>
        all.TryGetValue(resource, out var tags) ? tags : all[resource] = new Dictionary<string, string>();

    protected static string Required(JsonObject input, string member) =>
        (string?)input[member] is { Length: > 0 } value ? value : throw new AwsError(
            "ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");

    /// <summary>The resource type and id of an ARN of this form: arn:aws:SERVICE:REGION:ACCOUNT:TYPE:ID; ("", "") otherwise.</summary>
    protected static (string Kind, string Id) ArnParts(string arn, string service)
    {
        var parts = arn.Split(':');
        return parts.Length == 7 && parts[0] == "arn" && parts[2] == service ? (parts[5], parts[6]) : ("", "");
    }

    protected static string? Optional(JsonObject input, string member) => (string?)input[member];
    protected static long? Number(JsonObject input, string member) => input[member] is JsonValue v ? v.GetValue<long>() : null;
    protected static bool Flag(JsonObject input, string member) => input[member] is JsonValue v && v.GetValue<bool>();
    protected static IEnumerable<string> Strings(JsonObject input, string member) => (input[member] as JsonArray)?.Select(n => (string)n!) ?? [];
}

/// <summary>A service handler with typed state persisted through the store.</summary>
internal abstract class ServiceHandler<TState>(StateStore store) : ServiceHandler where TState : new()
{
    TState? _state;

    protected TState State => _state ??= store.Load<TState>(Name);

    /// <summary>Runs a read under the service's lock.</summary>
    protected JsonNode? Read(Func<JsonNode?> body)
    {
        lock (Gate) return body();
    }

    /// <summary>Runs a change under the service's lock and persists it.</summary>
    protected JsonNode? Write(Func<JsonNode?> body)
    {
        lock (Gate)
        {
            var result = body();
            Persist();
            return result;
        }
    }

    /// <summary>
    /// Create/Describe/Delete{kind}SubnetGroup(s): the same family in RDS (DB), Redshift (Cluster) and
    /// ElastiCache (Cache), differing only in names, codes and the naming rule (<paramref name="checkName"/>:
    /// the name as AWS stores it, or an AwsError).
    /// </summary>
    protected void ServeSubnetGroups(string kind, string descriptionMember, Func<TState, SortedDictionary<string, JsonObject>> groups,
        Func<string, string> checkName)
    {
        var member = $"{kind}SubnetGroup";
        var nameMember = $"{member}Name";
        AwsError NotFound(string name) => new($"{member}NotFoundFault", $"{member} {name} not found.", 404);
        string NameIn(JsonObject i) => Required(i, nameMember).ToLowerInvariant();

        JsonNode? Create(JsonObject i, RequestContext c) => Write(() =>
        {
            var name = checkName(Required(i, nameMember));
            if (groups(State).ContainsKey(name)) throw new AwsError($"{member}AlreadyExists", $"The subnet group '{name}' already exists.");
            var group = new JsonObject
            {
                [nameMember] = name,
                [descriptionMember] = Optional(i, descriptionMember),
                ["VpcId"] = "vpc-local",
                ["SubnetGroupStatus"] = "Complete",
                [$"{member}Arn"] = c.Arn(Name, $"subgrp:{name}"),
                ["ARN"] = c.Arn(Name, $"subnetgroup:{name}"),
                ["Subnets"] = new JsonArray(Strings(i, "SubnetIds").Select(id => (JsonNode?)new JsonObject { ["SubnetIdentifier"] = id, ["SubnetStatus"] = "Active" }).ToArray()),
            };
            groups(State)[name] = group;
            return new JsonObject { [member] = group.DeepClone() };
        });

        JsonNode? Describe(JsonObject i, RequestContext c) => Read(() =>
        {
            var name = Optional(i, nameMember)?.ToLowerInvariant();
            if (name != null && !groups(State).ContainsKey(name)) throw NotFound(name);
            return Paginate(i, groups(State).Where(kv => name == null || kv.Key == name).Select(kv => (JsonNode?)kv.Value.DeepClone()), $"{member}s", "Marker", "MaxRecords", 100);
        });

        JsonNode? Delete(JsonObject i, RequestContext c) => Write(() =>
        {
            var name = NameIn(i);
            if (!groups(State).Remove(name)) throw NotFound(name);
            return new JsonObject();
        });

        On($"Create{member}", Create);
        On($"Describe{member}s", Describe);
        On($"Delete{member}", Delete);
    }

    /// <summary>Call after a change, inside the gate: the server answers the request only once a snapshot taken after it is on disk.</summary>
    protected void Persist() => store.MarkDirty(Name, Snapshot);

    /// <summary>Like <see cref="Persist"/> for a change a crash may undo harmlessly: written with the next flush, holding no answer back.</summary>
    protected void PersistLazily() => store.MarkDirty(Name, Snapshot, lazy: true);

    /// <summary>
    /// Call after changing one record, inside the gate, instead of <see cref="Persist"/>: only the record is written, as
    /// <paramref name="current"/> finds it in the state when the write happens (null: it is gone). Lazy as in <see cref="PersistLazily"/>.
    /// </summary>
    protected void PersistRecord(StateRecord record, Func<TState, object?> current, bool lazy = false) =>
        store.MarkRecord(Name, record, () =>
        {
            lock (Gate) return current(State) is { } value ? StateStore.Serialize(value) : null;
        }, Snapshot, lazy);

    /// <summary>Runs a change of single records under the service's lock; <paramref name="body"/> calls <see cref="PersistRecord"/> for each.</summary>
    protected JsonNode? WriteRecords(Func<JsonNode?> body)
    {
        lock (Gate) return body();
    }

    string Snapshot()
    {
        lock (Gate) return StateStore.Serialize(State);
    }
}
