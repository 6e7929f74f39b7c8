using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>SSM Parameter Store: String, StringList and SecureString parameters, versions, paths, tags.</summary>
internal sealed class SsmService : ServiceHandler<SsmService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Parameter> Parameters { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Parameter
    {
        public string Name { get; set; } = "";
        public string Type { get; set; } = "String";
        public string Value { get; set; } = "";
        public long Version { get; set; }
        public DateTimeOffset LastModified { get; set; }
        public string? Description { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new();
    }

    public override string Name => "ssm";

    static AwsError NotFound(string name) => new("ParameterNotFound", $"Parameter {name} not found.");

    public SsmService(StateStore store) : base(store)
    {
        On("PutParameter", (i, c) => Write(() =>
        {
            var name = Required(i, "Name");
            var exists = State.Parameters.TryGetValue(name, out var p);
            if (exists && !Flag(i, "Overwrite"))
                throw new AwsError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            p ??= new Parameter { Name = name };
            p.Type = Optional(i, "Type") ?? p.Type;
            p.Value = Required(i, "Value");
            p.Description = Optional(i, "Description") ?? p.Description;
            p.Version++;
            p.LastModified = c.Now;
            MergeTags(p.Tags, i["Tags"]);
            State.Parameters[name] = p;
            return new JsonObject { ["Version"] = p.Version, ["Tier"] = "Standard" };
        }));
        On("GetParameter", (i, c) => Read(() =>
            new JsonObject { ["Parameter"] = Describe(Find(Required(i, "Name")), Flag(i, "WithDecryption"), c) }));
        On("GetParameters", (i, c) => Read(() =>
        {
            var found = new JsonArray();
            var invalid = new JsonArray();
            foreach (var name in Strings(i, "Names"))
                if (State.Parameters.TryGetValue(name, out var p)) found.Add(Describe(p, Flag(i, "WithDecryption"), c));
                else invalid.Add(name);
            return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };
        }));
        On("GetParametersByPath", (i, c) => Read(() =>
        {
            var path = Required(i, "Path").TrimEnd('/') + "/";
            var recursive = Flag(i, "Recursive");
            var matching = State.Parameters.Values
                .Where(p => p.Name.StartsWith(path, StringComparison.Ordinal) && (recursive || !p.Name[path.Length..].Contains('/')))
                .Select(p => (JsonNode?)Describe(p, Flag(i, "WithDecryption"), c));
            return Paginate(i, matching, "Parameters", "NextToken", "MaxResults", 10);
        }));
        On("DescribeParameters", (i, _) => Read(() =>
        {
            IEnumerable<Parameter> ps = State.Parameters.Values;
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
                    _ => throw new AwsError("InvalidFilterKey", $"Filter key {key} is not supported by the local cloud."),
                };
            }
            return new JsonObject
            {
                ["Parameters"] = new JsonArray(ps.Select(p => (JsonNode?)new JsonObject
                {
                    ["Name"] = p.Name, ["Type"] = p.Type, ["Version"] = p.Version, ["LastModifiedDate"] = p.LastModified.ToString("O"),
                    ["Description"] = p.Description, ["Tier"] = "Standard",
                }).ToArray()),
            };
        }));
        On("DeleteParameter", (i, _) => Write(() =>
        {
            if (!State.Parameters.Remove(Required(i, "Name"))) throw NotFound(Required(i, "Name"));
            return new JsonObject();
        }));
        On("DeleteParameters", (i, _) => Write(() =>
        {
            var deleted = new JsonArray();
            var invalid = new JsonArray();
            foreach (var name in Strings(i, "Names"))
                if (State.Parameters.Remove(name)) deleted.Add(name); else invalid.Add(name);
            return new JsonObject { ["DeletedParameters"] = deleted, ["InvalidParameters"] = invalid };
        }));
        On("AddTagsToResource", (i, _) => Write(() =>
        {
            MergeTags(Find(Required(i, "ResourceId")).Tags, i["Tags"]);
            return new JsonObject();
        }));
    }

    Parameter Find(string name) => State.Parameters.TryGetValue(name, out var p) ? p : throw NotFound(name);

    static JsonObject Describe(Parameter p, bool decrypt, RequestContext c) => new()
    {
        ["Name"] = p.Name, ["Type"] = p.Type, ["Version"] = p.Version,
        ["Value"] = p.Type == "SecureString" && !decrypt ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("local-kms:" + p.Name)) : p.Value,
        ["LastModifiedDate"] = p.LastModified.ToString("O"), ["ARN"] = c.Arn("ssm", "parameter" + (p.Name.StartsWith('/') ? p.Name : "/" + p.Name)),
        ["DataType"] = "text",
    };
}
