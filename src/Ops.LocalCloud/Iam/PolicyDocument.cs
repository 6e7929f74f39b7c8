using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Iam;

/// <summary>
/// A parsed IAM policy document (version 2012-10-17): its statements, checked as IAM checks them when a policy is put —
/// an Effect of Allow or Deny, exactly one of Action/NotAction, exactly one of Resource/NotResource (identity policies)
/// or a Principal (trust policies), actions as <c>service:Name</c> patterns, known condition operators.
/// </summary>
public sealed class PolicyDocument
{
    /// <summary>AWS's limit for a role's inline policies together is 10,240 characters; one document is refused above it.</summary>
    public const int MaxLength = 10_240;

    PolicyDocument(string text, IReadOnlyList<PolicyStatement> statements) => (Text, Statements) = (text, statements);

    /// <summary>The document as it was put (compared for drift, returned by Get*).</summary>
    public string Text { get; }

    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Parses and checks <paramref name="text"/>; throws <see cref="PolicyException"/> naming the first problem.</summary>
    public static PolicyDocument Parse(string text, PolicyKind kind)
    {
        if (text.Length > MaxLength) throw new PolicyException($"The policy is {text.Length} characters long; IAM accepts at most {MaxLength}.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new PolicyException($"Syntax errors in policy: {e.Message}");
        }
        if (root is not JsonObject document) throw new PolicyException("The policy must be a JSON object with a Statement.");
        if ((string?)(document["Version"] as JsonValue) is { } version && version is not ("2012-10-17" or "2008-10-17"))
            throw new PolicyException($"The policy must contain a valid version string: '{version}' is not 2012-10-17.");
        var raw = document["Statement"] switch
        {
            JsonArray array => array.ToList(),
            JsonObject one => [one],
            _ => throw new PolicyException("Missing required field Statement."),
        };
        if (raw.Count == 0) throw new PolicyException("The policy's Statement list is empty.");
        return new PolicyDocument(text, raw.Select((s, i) => ParseStatement(s as JsonObject ?? throw new PolicyException($"Statement {i + 1} is not an object."), i, kind)).ToList());
    }

    static PolicyStatement ParseStatement(JsonObject s, int index, PolicyKind kind)
    {
        var where = $"Statement {index + 1}";
        var effect = (string?)(s["Effect"] as JsonValue) ?? throw new PolicyException($"{where}: missing required field Effect.");
        if (effect is not ("Allow" or "Deny")) throw new PolicyException($"{where}: Effect must be Allow or Deny, not '{effect}'.");
        var (actions, notAction) = OneOf(s, "Action", "NotAction", where, required: true);
        foreach (var a in actions)
            if (a != "*" && (a.Split(':') is not [{ Length: > 0 } service, { Length: > 0 }] || service.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch != '-')))
                throw new PolicyException($"{where}: the action '{a}' is not of the form service:Action (or *).");
        var (resources, notResource) = OneOf(s, "Resource", "NotResource", where, required: kind == PolicyKind.Identity);
        if (kind == PolicyKind.Identity && s.ContainsKey("Principal"))
            throw new PolicyException($"{where}: an identity-based policy has no Principal (put it in the role's trust policy).");
        foreach (var r in resources)
            if (r != "*" && (!r.StartsWith("arn:", StringComparison.Ordinal) || r.Split(':').Length < 6))
                throw new PolicyException($"{where}: the resource '{r}' is not an ARN (arn:partition:service:region:account:resource) or *.");
        var principals = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (kind == PolicyKind.Trust)
        {
            switch (s["Principal"])
            {
                case JsonValue v when (string?)v == "*":
                    principals["*"] = ["*"];
                    break;
                case JsonObject p:
                    foreach (var (type, values) in p) principals[type] = Strings(values, $"{where}: Principal.{type}");
                    break;
                default:
                    throw new PolicyException($"{where}: a trust policy names a Principal (Service, AWS or Federated).");
            }
        }
        return new PolicyStatement
        {
            Sid = (string?)(s["Sid"] as JsonValue),
            Allow = effect == "Allow",
            Index = index,
            Actions = actions,
            NotAction = notAction,
            Resources = resources,
            NotResource = notResource,
            Principals = principals,
            Conditions = Conditions(s["Condition"], where),
        };
    }

    static (IReadOnlyList<string> Values, bool Negated) OneOf(JsonObject s, string name, string negation, string where, bool required)
    {
        var (plain, negated) = (s[name], s[negation]);
        if (plain != null && negated != null) throw new PolicyException($"{where}: give {name} or {negation}, not both.");
        if (plain == null && negated == null)
            return required ? throw new PolicyException($"{where}: missing required field {name} (or {negation}).") : ([], false);
        return (Strings(plain ?? negated, $"{where}: {(plain != null ? name : negation)}"), negated != null);
    }

    static IReadOnlyList<PolicyCondition> Conditions(JsonNode? node, string where)
    {
        if (node == null) return [];
        if (node is not JsonObject block) throw new PolicyException($"{where}: Condition must be an object of operators.");
        var list = new List<PolicyCondition>();
        foreach (var (op, keys) in block)
        {
            var baseOp = op.EndsWith("IfExists", StringComparison.Ordinal) ? op[..^"IfExists".Length] : op;
            if (!PolicyCondition.Operators.Contains(baseOp))
                throw new PolicyException($"{where}: the condition operator '{op}' is not one this local cloud evaluates ({string.Join(", ", PolicyCondition.Operators.Order())}, with IfExists).");
            if (keys is not JsonObject tests) throw new PolicyException($"{where}: Condition.{op} must map context keys to values.");
            foreach (var (key, values) in tests) list.Add(new PolicyCondition(op, key, Strings(values, $"{where}: Condition.{op}.{key}")));
        }
        return list;
    }

    static IReadOnlyList<string> Strings(JsonNode? node, string where) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var one) => [one],
        JsonValue v when v.TryGetValue<bool>(out var flag) => [flag ? "true" : "false"],
        JsonArray a when a.Count > 0 && a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out _)) => a.Select(x => (string)x!).ToList(),
        _ => throw new PolicyException($"{where} must be a string or a non-empty list of strings."),
    };
}
