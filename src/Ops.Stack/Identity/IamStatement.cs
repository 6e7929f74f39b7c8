using System.Text.Json.Nodes;

namespace Ops.Stack.Identity;

/// <summary>
/// One statement of a policy Ops writes: effect, actions, resources (exact ARNs; <c>*</c> only with a
/// <see cref="Why"/>, listed in docs/iam.md), and an optional condition block.
/// </summary>
public sealed record IamStatement(string Sid, bool Allow, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources)
{
    /// <summary>The condition block as IAM reads it (<c>{"StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}}</c>).</summary>
    public JsonObject? Condition { get; init; }

    /// <summary>Why the resource is <c>*</c>: AWS offers nothing narrower for these actions (null when every resource is an ARN).</summary>
    public string? Why { get; init; }

    public static IamStatement AllowOn(string sid, IReadOnlyList<string> actions, params string[] resources) => new(sid, true, actions, resources);

    /// <summary>An allow on <c>*</c>, with the reason nothing narrower exists.</summary>
    public static IamStatement AllowAll(string sid, IReadOnlyList<string> actions, string why) => new(sid, true, actions, ["*"]) { Why = why };

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["Sid"] = Sid, ["Effect"] = Allow ? "Allow" : "Deny", ["Action"] = Strings(Actions), ["Resource"] = Strings(Resources) };
        if (Condition != null) o["Condition"] = Condition.DeepClone();
        return o;
    }

    static JsonNode Strings(IReadOnlyList<string> values) =>
        values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>
    /// A statement of the stack file's compact form, <c>Allow|Deny action[,action…] resource[,resource…]</c> (the loader
    /// has already checked its shape); <paramref name="index"/> numbers it for its Sid.
    /// </summary>
    public static IamStatement FromStack(string text, string owner, int index)
    {
        var parts = text.Split(' ');
        return new IamStatement($"{owner}{index + 1}", parts[0] == "Allow", parts[1].Split(','), parts[2].Split(','));
    }
}
