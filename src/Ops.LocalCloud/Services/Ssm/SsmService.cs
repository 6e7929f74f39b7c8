using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Ssm;

/// <summary>SSM Parameter Store: String, StringList and SecureString parameters (sealed at rest), versions, paths, tags.</summary>
internal sealed partial class SsmService : ServiceHandler<SsmState>
{
    readonly SecretBox _secrets;

    public override string Name => "ssm";

    public SsmService(StateStore store) : base(store)
    {
        _secrets = store.Secrets;
        On("PutParameter", PutParameter);
        On("GetParameter", GetParameter);
        On("GetParameters", GetParameters);
        On("GetParametersByPath", GetParametersByPath);
        On("DescribeParameters", DescribeParameters);
        On("DeleteParameter", DeleteParameter);
        On("DeleteParameters", DeleteParameters);
        On("AddTagsToResource", AddTagsToResource);
    }

    static AwsError NotFound(string name) => new("ParameterNotFound", $"Parameter {name} not found.");

    JsonNode? PutParameter(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "Name");
        var exists = State.Parameters.TryGetValue(name, out var p);
        if (exists && !Flag(i, "Overwrite"))
            throw new AwsError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        var type = Optional(i, "Type") ?? p?.Type ?? throw new AwsError("ValidationException", "A parameter type is required when you create a parameter.");
        if (type is not ("String" or "StringList" or "SecureString"))
            throw new AwsError("ValidationException", $"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        var value = Required(i, "Value");
        p ??= new SsmParameter { Name = name };
        p.Type = type;
        p.Value = type == "SecureString" ? _secrets.Seal(value) : value;
        p.Description = Optional(i, "Description") ?? p.Description;
        p.Version++;
        p.LastModified = c.Now;
        MergeTags(p.Tags, i["Tags"]);
        State.Parameters[name] = p;
        return new JsonObject { ["Version"] = p.Version, ["Tier"] = "Standard" };
    });

    JsonNode? GetParameter(JsonObject i, RequestContext c) => Read(() =>
        new JsonObject { ["Parameter"] = Describe(Find(Required(i, "Name")), Flag(i, "WithDecryption"), c) });

    JsonNode? GetParameters(JsonObject i, RequestContext c) => Read(() =>
    {
        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in Strings(i, "Names"))
            if (State.Parameters.TryGetValue(name, out var p)) found.Add(Describe(p, Flag(i, "WithDecryption"), c));
            else invalid.Add(name);
        return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };
    });

    JsonNode? GetParametersByPath(JsonObject i, RequestContext c) => Read(() =>
    {
        var path = Required(i, "Path").TrimEnd('/') + "/";
        var recursive = Flag(i, "Recursive");
        var matching = State.Parameters.Values
            .Where(p => p.Name.StartsWith(path, StringComparison.Ordinal) && (recursive || !p.Name[path.Length..].Contains('/')))
            .Select(p => (JsonNode?)Describe(p, Flag(i, "WithDecryption"), c));
        return Paginate(i, matching, "Parameters", "NextToken", "MaxResults", 10);
    });

    JsonNode? DescribeParameters(JsonObject i, RequestContext c) => Read(() =>
    {
        IEnumerable<SsmParameter> ps = State.Parameters.Values;
        foreach (var f in (i["ParameterFilters"] as JsonArray) ?? [])
        {
            var key = (string)f!["Key"]!;
            var option = (string?)f["Option"] ?? "Equals";
            var values = ((JsonArray)f["Values"]!).Select(v => (string)v!).ToList();
            ps = key switch
            {
                "Name" when option == "BeginsWith" => ps.Where(p => values.Any(v => p.Name.StartsWith(v, StringComparison.Ordinal))),
                "Name" => ps.Where(p => values.Contains(p.Name)),
                "Type" => ps.Where(p => values.Contains(p.Type)),
                "tag-key" => ps.Where(p => values.Any(p.Tags.ContainsKey)),
                _ when key.StartsWith("tag:", StringComparison.Ordinal) =>
                    ps.Where(p => p.Tags.TryGetValue(key[4..], out var v) && (values.Count == 0 || values.Contains(v))),
                _ => throw new AwsError("InvalidFilterKey", $"Filter key {key} is not supported by the local cloud."),
            };
        }
        return new JsonObject
        {
            ["Parameters"] = new JsonArray(ps.Select(p => (JsonNode?)new JsonObject
            {
                ["Name"] = p.Name,
                ["Type"] = p.Type,
                ["Version"] = p.Version,
                ["LastModifiedDate"] = p.LastModified.ToString("O"),
                ["Description"] = p.Description,
                ["Tier"] = "Standard",
            }).ToArray()),
        };
    });

    JsonNode? DeleteParameter(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "Name");
        if (!State.Parameters.Remove(name)) throw NotFound(name);
        return new JsonObject();
    });

    JsonNode? DeleteParameters(JsonObject i, RequestContext c) => Write(() =>
    {
        var deleted = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in Strings(i, "Names"))
            if (State.Parameters.Remove(name)) deleted.Add(name); else invalid.Add(name);
        return new JsonObject { ["DeletedParameters"] = deleted, ["InvalidParameters"] = invalid };
    });

    JsonNode? AddTagsToResource(JsonObject i, RequestContext c) => Write(() =>
    {
        var type = Required(i, "ResourceType");
        if (type != "Parameter")
            throw new AwsError("InvalidResourceType", $"The local cloud tags parameters only (ResourceType Parameter), not {type}.");
        var id = Required(i, "ResourceId");
        var parameter = State.Parameters.GetValueOrDefault(id)
            ?? throw new AwsError("InvalidResourceId", $"The resource ID \"{id}\" is not valid. Verify the ID and try again.");
        MergeTags(parameter.Tags, i["Tags"]);
        return new JsonObject();
    });

    SsmParameter Find(string name) => State.Parameters.TryGetValue(name, out var p) ? p : PublicParameter(name) ?? throw NotFound(name);

    /// <summary>A SecureString without WithDecryption comes back as AWS sends it: ciphertext (here a stand-in), never the value.</summary>
    JsonObject Describe(SsmParameter p, bool decrypt, RequestContext c) => new()
    {
        ["Name"] = p.Name,
        ["Type"] = p.Type,
        ["Version"] = p.Version,
        ["Value"] = p.Type != "SecureString" ? p.Value
            : decrypt ? _secrets.Open(p.Value) : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("local-kms:" + p.Name)),
        ["LastModifiedDate"] = p.LastModified.ToString("O"),
        ["ARN"] = c.Arn("ssm", "parameter" + (p.Name.StartsWith('/') ? p.Name : "/" + p.Name)),
        ["DataType"] = "text",
    };
}
