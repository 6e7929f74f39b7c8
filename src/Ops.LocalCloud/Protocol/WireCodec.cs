using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Ops.Contracts;

namespace Ops.LocalCloud.Protocol;

/// <summary>
/// Model-driven translation between the wire and handler values. Handlers see and return JSON objects
/// keyed by model member names (as in the AWS docs), whatever the protocol: awsJson bodies pass through;
/// awsQuery/ec2 forms are rebuilt into structures (botocore's serializer rules in reverse); XML responses
/// and errors are written with the element and list-item names the model gives.
/// </summary>
internal static class WireCodec
{
    // ---------------- requests ----------------

    public static JsonObject DecodeQuery(ServiceModel model, string? shape, IReadOnlyDictionary<string, string> form)
    {
        if (shape == null) return new JsonObject();
        var ec2 = model.Protocol == AwsProtocol.Ec2;
        return ReadStructure(model, shape, "", form, ec2) ?? new JsonObject();
    }

    /// <summary>
    /// How deep a JSON body may nest: DynamoDB's 32 levels of attribute values take two JSON levels each, plus the
    /// request's own; parsing stays linear in the body's size and a deeper body is AWS's SerializationException.
    /// </summary>
    public const int MaxJsonDepth = 80;

    /// <summary>
    /// awsJson: the body as a JSON object whose members have the types the model gives them; anything else is the
    /// SerializationException (400) AWS answers, never a failure inside a handler.
    /// </summary>
    public static JsonObject DecodeJson(ServiceModel model, string? shape, byte[] body)
    {
        if (body.Length == 0) return new JsonObject();
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw new AwsError("SerializationException", $"The request body is not valid JSON: {e.Message}") { QueryCode = "SerializationException" };
        }
        if (node is not JsonObject input)
            throw new AwsError("SerializationException", "The request body must be a JSON object.") { QueryCode = "SerializationException" };
        if (shape != null && !CheckJson(model, shape, input, path: null)) CheckJson(model, shape, input, path: "");
        return input;
    }

    /// <summary>
    /// Whether <paramref name="value"/> fits its shape throughout. With a <paramref name="path"/> (the place of the value,
    /// "" for the request) a value that does not fit throws, naming where; without, nothing is built but the answer: the
    /// check every request gets, the path-building walk only once it failed.
    /// </summary>
    static bool CheckJson(ServiceModel model, string shapeName, JsonNode? value, string? path)
    {
        if (value == null) return true;
        var shape = model.Shape(shapeName);
        var type = (string)shape["type"]!;
        if (!Matches(type, value))
        {
            if (path == null) return false;
            var where = path.Length == 0 ? "the request" : $"'{path}'";
            throw new AwsError("SerializationException", $"Expected {Article(type)} at {where}, found {value.GetValueKind().ToString().ToLowerInvariant()}.")
                { QueryCode = "SerializationException" };
        }
        switch (type)
        {
            case "structure":
                foreach (var (member, child) in value.AsObject())
                    if (shape["members"]?[member] is JsonObject r && !CheckJson(model, (string)r["shape"]!, child, path == null ? null : Join(path, member)))
                        return false;
                break;
            case "list":
                var index = 0;
                foreach (var item in value.AsArray())
                    if (!CheckJson(model, (string)shape["member"]!["shape"]!, item, path == null ? null : $"{path}[{index++}]")) return false;
                break;
            case "map":
                foreach (var (key, child) in value.AsObject())
                    if (!CheckJson(model, (string)shape["value"]!["shape"]!, child, path == null ? null : Join(path, key))) return false;
                break;
        }
        return true;
    }

    static bool Matches(string type, JsonNode value)
    {
        var kind = value.GetValueKind();
        return type switch
        {
            "structure" or "map" => kind == JsonValueKind.Object,
            "list" => kind == JsonValueKind.Array,
            "string" or "blob" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" or "long" => kind == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _),
            "float" or "double" => kind == JsonValueKind.Number,
            "timestamp" => kind is JsonValueKind.Number or JsonValueKind.String,
            _ => true,
        };
    }

    static string Join(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    static string Article(string type) => type switch
    {
        "structure" or "map" => "an object",
        "list" => "a list",
        "integer" or "long" => "a whole number",
        "float" or "double" => "a number",
        "boolean" => "true or false",
        "timestamp" => "a timestamp",
        _ => "a string",
    };

    static JsonObject? ReadStructure(ServiceModel model, string shape, string prefix, IReadOnlyDictionary<string, string> form, bool ec2)
    {
        var result = new JsonObject();
        foreach (var (member, refNode) in model.Shape(shape)["members"]?.AsObject() ?? [])
        {
            var r = refNode!.AsObject();
            var key = QueryKey(member, r, ec2);
            var full = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (ReadValue(model, (string)r["shape"]!, r, full, form, ec2) is { } value) result[member] = value;
        }
        return prefix.Length > 0 && result.Count == 0 ? null : result;
    }

    static JsonNode? ReadValue(ServiceModel model, string shapeName, JsonObject? r, string key, IReadOnlyDictionary<string, string> form, bool ec2)
    {
        var shape = model.Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                return ReadStructure(model, shapeName, key, form, ec2);
            case "list":
                {
                    var member = shape["member"]!.AsObject();
                    string itemPrefix;
                    if (ec2) itemPrefix = key;
                    else if (r?["flattened"] is not null || shape["flattened"] is not null)
                        itemPrefix = (string?)member["locationName"] is { } n ? ReplaceLast(key, n) : key;
                    else itemPrefix = $"{key}.{(string?)member["locationName"] ?? "member"}";
                    var list = new JsonArray();
                    for (var i = 1; ; i++)
                    {
                        var itemKey = $"{itemPrefix}.{i}";
                        if (!form.ContainsKey(itemKey) && !form.Keys.Any(k => k.StartsWith(itemKey + ".", StringComparison.Ordinal))) break;
                        list.Add(ReadValue(model, (string)member["shape"]!, member, itemKey, form, ec2));
                    }
                    if (list.Count == 0 && !(form.TryGetValue(key, out var empty) && empty.Length == 0)) return null;
                    return list;
                }
            case "map":
                {
                    var entryPrefix = r?["flattened"] is not null || shape["flattened"] is not null ? key : $"{key}.entry";
                    var keyName = (string?)shape["key"]!["locationName"] ?? "key";
                    var valueRef = shape["value"]!.AsObject();
                    var valueName = (string?)valueRef["locationName"] ?? "value";
                    var map = new JsonObject();
                    for (var i = 1; form.TryGetValue($"{entryPrefix}.{i}.{keyName}", out var k); i++)
                        map[k] = ReadValue(model, (string)valueRef["shape"]!, valueRef, $"{entryPrefix}.{i}.{valueName}", form, ec2);
                    return map.Count == 0 ? null : map;
                }
            default:
                return form.TryGetValue(key, out var text) ? Scalar((string)shape["type"]!, text) : null;
        }
    }

    static JsonNode? Scalar(string type, string text) => type switch
    {
        "integer" or "long" => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : throw new AwsError("ValidationError", $"'{text}' is not a whole number."),
        "double" or "float" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new AwsError("ValidationError", $"'{text}' is not a number."),
        "boolean" => text.Equals("true", StringComparison.OrdinalIgnoreCase),
        _ => text,
    };

    static string QueryKey(string member, JsonObject r, bool ec2)
    {
        var location = (string?)r["locationName"];
        if (!ec2) return location ?? member;
        if ((string?)r["queryName"] is { } q) return q;
        return location != null ? char.ToUpperInvariant(location[0]) + location[1..] : member;
    }

    static string ReplaceLast(string key, string name)
    {
        var dot = key.LastIndexOf('.');
        return dot < 0 ? name : key[..(dot + 1)] + name;
    }

    /// <summary>rest-xml (CloudFront): the operation whose method and URI template match, with its labels.</summary>
    public static (OperationModel Operation, Dictionary<string, string> Labels)? MatchRest(ServiceModel model, string method, string path)
    {
        foreach (var op in model.Operations.Values.Where(o => o.HttpMethod == method))
        {
            var template = op.RequestUri.Split('?')[0].Trim('/').Split('/');
            var parts = path.Trim('/').Split('/');
            if (template.Length != parts.Length) continue;
            var labels = new Dictionary<string, string>();
            var ok = true;
            for (var i = 0; i < template.Length && ok; i++)
            {
                if (template[i].StartsWith('{')) labels[template[i].Trim('{', '}', '+')] = Uri.UnescapeDataString(parts[i]);
                else ok = template[i] == parts[i];
            }
            if (ok) return (op, labels);
        }
        return null;
    }

    public static JsonObject DecodeRest(ServiceModel model, OperationModel op, Dictionary<string, string> labels, IReadOnlyDictionary<string, string> query,
        byte[] body)
    {
        var input = new JsonObject();
        if (op.Input == null) return input;
        var shape = model.Shape(op.Input);
        var payload = (string?)shape["payload"];
        foreach (var (member, refNode) in shape["members"]?.AsObject() ?? [])
        {
            var r = refNode!.AsObject();
            var name = (string?)r["locationName"] ?? member;
            switch ((string?)r["location"])
            {
                case "uri" when labels.TryGetValue(name, out var v): input[member] = v; break;
                case "querystring" when query.TryGetValue(name, out var q): input[member] = q; break;
            }
            if (member == payload && body.Length > 0)
                input[member] = ReadXml(model, (string)r["shape"]!, ParseXml(body));
        }
        return input;
    }

    static XElement ParseXml(byte[] body)
    {
        try
        {
            return BoundedXml.Parse(body).Root!;
        }
        catch (System.Xml.XmlException e)
        {
            throw new AwsError("MalformedInput", $"The XML you provided was not well-formed: {e.Message}");
        }
    }

    static JsonNode? ReadXml(ServiceModel model, string shapeName, XElement element)
    {
        var shape = model.Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                var result = new JsonObject();
                foreach (var (member, refNode) in shape["members"]?.AsObject() ?? [])
                {
                    var r = refNode!.AsObject();
                    var child = element.Elements().FirstOrDefault(e => e.Name.LocalName == ((string?)r["locationName"] ?? member));
                    if (child != null) result[member] = ReadXml(model, (string)r["shape"]!, child);
                }
                return result;
            case "list":
                return new JsonArray(element.Elements().Select(e => ReadXml(model, (string)shape["member"]!["shape"]!, e)).ToArray());
            default:
                return Scalar((string)shape["type"]!, element.Value);
        }
    }

    // ---------------- responses ----------------

    /// <summary>awsJson: the handler's object with timestamps as epoch seconds.</summary>
    public static byte[] EncodeJson(ServiceModel model, string? shape, JsonNode? output)
    {
        if (shape == null || output == null) return "{}"u8.ToArray();
        return Encoding.UTF8.GetBytes(NormaliseJson(model, shape, output)!.ToJsonString());
    }

    static JsonNode? NormaliseJson(ServiceModel model, string shapeName, JsonNode? value)
    {
        if (value == null) return null;
        var shape = model.Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure" when value is JsonObject o:
                var result = new JsonObject();
                var members = shape["members"]?.AsObject();
                foreach (var (k, v) in o)
                    if (members?[k] is JsonObject r) result[k] = NormaliseJson(model, (string)r["shape"]!, v);
                return result;
            case "list" when value is JsonArray a:
                return new JsonArray(a.Select(i => NormaliseJson(model, (string)shape["member"]!["shape"]!, i)).ToArray());
            case "map" when value is JsonObject m:
                return new JsonObject(m.Select(kv => KeyValuePair.Create(kv.Key, NormaliseJson(model, (string)shape["value"]!["shape"]!, kv.Value))));
            case "timestamp":
                return JsonValue.Create(Math.Round(Timestamp(value).ToUnixTimeMilliseconds() / 1000.0, 3));
            default:
                return value.DeepClone();
        }
    }

    /// <summary>awsQuery: &lt;OpResponse&gt;&lt;OpResult&gt;…&lt;/OpResult&gt;&lt;ResponseMetadata/&gt;; ec2: &lt;OpResponse&gt;&lt;requestId/&gt;… .</summary>
    public static string EncodeXmlResponse(ServiceModel model, OperationModel op, JsonNode? output, string requestId)
    {
        XNamespace ns = model.XmlNamespace;
        var root = new XElement(ns + $"{op.Name}Response");
        if (model.Protocol == AwsProtocol.Ec2)
        {
            root.Add(new XElement(ns + "requestId", requestId));
            if (op.Output != null && output is JsonObject o) WriteMembers(model, op.Output, o, root, ns);
        }
        else
        {
            if (op.ResultWrapper != null)
            {
                var result = new XElement(ns + op.ResultWrapper);
                if (op.Output != null && output is JsonObject o) WriteMembers(model, op.Output, o, result, ns);
                root.Add(result);
            }
            root.Add(new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)));
        }
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>rest-xml: the payload member as the body's root element, and header-bound members as headers.</summary>
    public static (string? Body, Dictionary<string, string> Headers) EncodeRestXml(ServiceModel model, OperationModel op, JsonObject? output)
    {
        var headers = new Dictionary<string, string>();
        if (op.Output == null || output == null) return (null, headers);
        var shape = model.Shape(op.Output);
        string? body = null;
        foreach (var (member, refNode) in shape["members"]?.AsObject() ?? [])
        {
            var r = refNode!.AsObject();
            if (output[member] is not { } value) continue;
            if ((string?)r["location"] == "header") headers[(string)r["locationName"]!] = Text(model.Shape((string)r["shape"]!), value);
            else if ((string?)shape["payload"] == member)
            {
                XNamespace ns = (string?)r["xmlNamespace"]?["uri"] ?? model.XmlNamespace;
                var root = new XElement(ns + ((string?)r["locationName"] ?? (string)r["shape"]!));
                WriteMembers(model, (string)r["shape"]!, value.AsObject(), root, ns);
                body = root.ToString(SaveOptions.DisableFormatting);
            }
        }
        return (body, headers);
    }

    static void WriteMembers(ServiceModel model, string shapeName, JsonObject value, XElement parent, XNamespace ns)
    {
        foreach (var (member, refNode) in model.Shape(shapeName)["members"]?.AsObject() ?? [])
        {
            var r = refNode!.AsObject();
            if ((string?)r["location"] is "header" or "headers" or "statusCode") continue;
            if (value[member] is not { } v) continue;
            WriteValue(model, (string)r["shape"]!, r, (string?)r["locationName"] ?? member, v, parent, ns);
        }
    }

    static void WriteValue(ServiceModel model, string shapeName, JsonObject? r, string name, JsonNode value, XElement parent, XNamespace ns)
    {
        var shape = model.Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                var element = new XElement(ns + name);
                if (value is JsonObject o) WriteMembers(model, shapeName, o, element, ns);
                parent.Add(element);
                break;
            case "list":
                var member = shape["member"]!.AsObject();
                var items = value as JsonArray ?? [];
                if (r?["flattened"] is not null || shape["flattened"] is not null)
                {
                    var itemName = (string?)r?["locationName"] ?? (string?)member["locationName"] ?? name;
                    foreach (var item in items) if (item != null) WriteValue(model, (string)member["shape"]!, member, itemName, item, parent, ns);
                }
                else
                {
                    var wrapper = new XElement(ns + name);
                    foreach (var item in items)
                        if (item != null) WriteValue(model, (string)member["shape"]!, member, (string?)member["locationName"] ?? "member", item, wrapper, ns);
                    parent.Add(wrapper);
                }
                break;
            case "map":
                var keyName = (string?)shape["key"]!["locationName"] ?? "key";
                var valueRef = shape["value"]!.AsObject();
                var valueName = (string?)valueRef["locationName"] ?? "value";
                var entries = new List<XElement>();
                foreach (var (k, v) in value as JsonObject ?? [])
                {
                    var entry = new XElement(ns + "entry", new XElement(ns + keyName, k));
                    if (v != null) WriteValue(model, (string)valueRef["shape"]!, valueRef, valueName, v, entry, ns);
                    entries.Add(entry);
                }
                parent.Add(r?["flattened"] is not null || shape["flattened"] is not null ? entries : new XElement(ns + name, entries));
                break;
            default:
                parent.Add(new XElement(ns + name, Text(shape, value)));
                break;
        }
    }

    static string Text(JsonObject shape, JsonNode value) => (string)shape["type"]! switch
    {
        "timestamp" => Timestamp(value).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        "boolean" => value.GetValueKind() == JsonValueKind.True || (value.GetValueKind() == JsonValueKind.String && (string)value! == "true") ? "true" : "false",
        _ => value.GetValueKind() == JsonValueKind.String ? (string)value! : value.ToJsonString(),
    };

    /// <summary>A timestamp from epoch seconds (whatever CLR number backs the node) or an ISO 8601 string.</summary>
    public static DateTimeOffset Timestamp(JsonNode value) => value.GetValueKind() == JsonValueKind.Number
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) * 1000))
        : DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // ---------------- errors ----------------

    /// <summary>An error in <paramref name="protocol"/>'s shape (the service's <paramref name="model"/> when known).</summary>
    public static (string ContentType, string Body, Dictionary<string, string> Headers) EncodeError(AwsProtocol protocol, ServiceModel? model, AwsError error,
        string requestId)
    {
        var headers = new Dictionary<string, string>();
        var type = error.Sender ? "Sender" : "Receiver";
        switch (protocol)
        {
            case AwsProtocol.Json:
                headers["X-Amzn-ErrorType"] = error.Code;
                if (model?.QueryCompatible == true && error.QueryCode != null) headers["x-amzn-query-error"] = $"{error.QueryCode};{type}";
                var prefix = model?.QueryCompatible == true ? $"com.amazonaws.{model.Name}#" : "";
                var body = new JsonObject { ["__type"] = prefix + error.Code, ["message"] = error.Message };
                return ($"application/x-amz-json-{model?.JsonVersion ?? "1.1"}", body.ToJsonString(), headers);
            case AwsProtocol.Ec2:
                return ("text/xml", new XElement("Response",
                    new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
                    new XElement("RequestID", requestId)).ToString(SaveOptions.DisableFormatting), headers);
            default: // query, rest-xml
                XNamespace ns = model?.XmlNamespace ?? "";
                return ("text/xml", new XElement(ns + "ErrorResponse",
                    new XElement(ns + "Error", new XElement(ns + "Type", type), new XElement(ns + "Code", error.Code), new XElement(ns + "Message", error.Message)),
                    new XElement(ns + "RequestId", requestId)).ToString(SaveOptions.DisableFormatting), headers);
        }
    }

    /// <summary>An error in S3's own shape (rest-xml, but a bare Error element).</summary>
    public static (string ContentType, string Body, Dictionary<string, string> Headers) EncodeS3Error(AwsError error, string requestId) =>
        ("application/xml", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message),
            new XElement("RequestId", requestId)).ToString(SaveOptions.DisableFormatting), new Dictionary<string, string>());
}
