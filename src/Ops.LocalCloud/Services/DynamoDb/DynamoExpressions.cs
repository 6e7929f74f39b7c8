using System.Globalization;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.DynamoDb;

/// <summary>
/// DynamoDB expressions over items in the wire's AttributeValue form ({"S": "x"}, {"N": "1"}, {"M": {...}}…):
/// condition / filter / key-condition expressions (comparisons, BETWEEN, IN, AND/OR/NOT, attribute_exists,
/// attribute_not_exists, attribute_type, begins_with, contains, size) and update expressions
/// (SET with + - if_not_exists list_append, REMOVE, ADD, DELETE), with #name and :value placeholders.
/// </summary>
internal sealed class DynamoExpressions(JsonObject? names, JsonObject? values)
{
    // ---------------- tokens ----------------

    enum K { Name, Value, Number, Op, LParen, RParen, LBracket, RBracket, Comma, Dot, End }

    readonly record struct Token(K Kind, string Text);

    static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '#' or ':' || char.IsLetter(c) || c == '_')
            {
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-')) i++;
                tokens.Add(new Token(c == ':' ? K.Value : K.Name, text[start..i]));
                continue;
            }
            if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsDigit(text[i])) i++;
                tokens.Add(new Token(K.Number, text[start..i]));
                continue;
            }
            switch (c)
            {
                case '(': tokens.Add(new Token(K.LParen, "(")); i++; continue;
                case ')': tokens.Add(new Token(K.RParen, ")")); i++; continue;
                case '[': tokens.Add(new Token(K.LBracket, "[")); i++; continue;
                case ']': tokens.Add(new Token(K.RBracket, "]")); i++; continue;
                case ',': tokens.Add(new Token(K.Comma, ",")); i++; continue;
                case '.': tokens.Add(new Token(K.Dot, ".")); i++; continue;
                case '=' or '+' or '-': tokens.Add(new Token(K.Op, c.ToString())); i++; continue;
                case '<' or '>':
                    var op = i + 1 < text.Length && (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>')) ? text.Substring(i, 2) : c.ToString();
                    tokens.Add(new Token(K.Op, op));
                    i += op.Length;
                    continue;
                default:
                    throw Invalid($"Invalid expression: unexpected character '{c}'");
            }
        }
        tokens.Add(new Token(K.End, ""));
        return tokens;
    }

    static AwsError Invalid(string message) => new("ValidationException", message);

    List<Token> _t = [];
    int _p;
    Token Peek => _t[_p];
    Token Next() => _t[_p++];
    bool Keyword(string word) => Peek.Kind == K.Name && Peek.Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    void Expect(K kind)
    {
        if (Next().Kind != kind) throw Invalid($"Invalid expression: expected {kind} near token {_p}");
    }

    // ---------------- paths and operands ----------------

    /// <summary>A document path: names (with #aliases resolved) and list indexes.</summary>
    List<object> Path()
    {
        var path = new List<object> { Resolve(Next()) };
        while (true)
        {
            if (Peek.Kind == K.Dot) { Next(); path.Add(Resolve(Next())); }
            else if (Peek.Kind == K.LBracket)
            {
                Next();
                path.Add(int.Parse(Next().Text, CultureInfo.InvariantCulture));
                Expect(K.RBracket);
            }
            else return path;
        }
    }

    string Resolve(Token token)
    {
        if (token.Kind != K.Name) throw Invalid($"Invalid expression: expected an attribute name, found '{token.Text}'");
        if (!token.Text.StartsWith('#')) return token.Text;
        return (string?)names?[token.Text] ?? throw Invalid($"Value provided in ExpressionAttributeNames unused in expressions or not defined: {token.Text}");
    }

    JsonNode Value(string placeholder) =>
        values?[placeholder]?.DeepClone() ?? throw Invalid($"An expression attribute value used in expression is not defined; attribute value: {placeholder}");

    /// <summary>The attribute value at a path: a top-level attribute, then map keys (M) and list indexes (L).</summary>
    static JsonNode? Get(JsonObject item, List<object> path)
    {
        var current = item[(string)path[0]];
        foreach (var step in path.Skip(1))
            current = step switch
            {
                string name => current?["M"]?[name],
                int index => current?["L"] is JsonArray list && index < list.Count ? list[index] : null,
                _ => null,
            };
        return current;
    }

    /// <summary>Sets (or with null removes) the attribute value at a path; the containers above it must exist.</summary>
    static void Set(JsonObject item, List<object> path, JsonNode? value)
    {
        if (path.Count == 1)
        {
            if (value == null) item.Remove((string)path[0]); else item[(string)path[0]] = value;
            return;
        }
        var container = Get(item, path.Take(path.Count - 1).ToList())
            ?? throw Invalid("The document path provided in the update expression is invalid for update");
        switch (path[^1])
        {
            case string name when container["M"] is JsonObject map:
                if (value == null) map.Remove(name); else map[name] = value;
                break;
            case int index when container["L"] is JsonArray list:
                if (value == null) { if (index < list.Count) list.RemoveAt(index); }
                else if (index < list.Count) list[index] = value;
                else list.Add(value);
                break;
            default:
                throw Invalid("The document path provided in the update expression is invalid for update");
        }
    }

    /// <summary>An operand's value: a path, a :placeholder, or size(path).</summary>
    JsonNode? Operand(JsonObject item)
    {
        if (Peek.Kind == K.Value) return Value(Next().Text);
        if (Keyword("size") && _t[_p + 1].Kind == K.LParen)
        {
            Next();
            Expect(K.LParen);
            var v = Get(item, Path());
            Expect(K.RParen);
            return new JsonObject { ["N"] = Size(v).ToString(CultureInfo.InvariantCulture) };
        }
        return Get(item, Path())?.DeepClone();
    }

    static int Size(JsonNode? v) => v switch
    {
        JsonObject o when o["S"] is { } s => ((string)s!).Length,
        JsonObject o when o["B"] is { } b => Convert.FromBase64String((string)b!).Length,
        JsonObject o when o["L"] is JsonArray l => l.Count,
        JsonObject o when o["M"] is JsonObject m => m.Count,
        JsonObject o when (o["SS"] ?? o["NS"] ?? o["BS"]) is JsonArray set => set.Count,
        _ => throw Invalid("Invalid operand type for size function"),
    };

    // ---------------- conditions ----------------

    /// <summary>Evaluates a condition, filter or key-condition expression against an item (a missing item is {}).</summary>
    public bool Evaluate(string expression, JsonObject item)
    {
        _t = Lex(expression);
        _p = 0;
        var result = Or(item);
        if (Peek.Kind != K.End) throw Invalid($"Invalid expression: unexpected '{Peek.Text}'");
        return result;
    }

    bool Or(JsonObject item)
    {
        var left = And(item);
        while (Keyword("OR")) { Next(); left = And(item) | left; }
        return left;
    }

    bool And(JsonObject item)
    {
        var left = Not(item);
        while (Keyword("AND")) { Next(); left = Not(item) & left; }
        return left;
    }

    bool Not(JsonObject item)
    {
        if (!Keyword("NOT")) return Primary(item);
        Next();
        return !Not(item);
    }

    bool Primary(JsonObject item)
    {
        if (Peek.Kind == K.LParen)
        {
            Next();
            var inner = Or(item);
            Expect(K.RParen);
            return inner;
        }
        if (Peek.Kind == K.Name && _t[_p + 1].Kind == K.LParen && !Peek.Text.Equals("size", StringComparison.OrdinalIgnoreCase))
        {
            var function = Next().Text.ToLowerInvariant();
            Expect(K.LParen);
            var path = Path();
            var value = Get(item, path);
            JsonNode? argument = null;
            if (Peek.Kind == K.Comma) { Next(); argument = Operand(item); }
            Expect(K.RParen);
            return function switch
            {
                "attribute_exists" => value != null,
                "attribute_not_exists" => value == null,
                "attribute_type" => value is JsonObject o && o.ContainsKey((string)argument!["S"]!),
                "begins_with" => Text(value) is { } s && Text(argument) is { } prefix && s.StartsWith(prefix, StringComparison.Ordinal),
                "contains" => Contains(value, argument),
                _ => throw Invalid($"Invalid function name; function: {function}"),
            };
        }
        var left = Operand(item);
        if (Keyword("BETWEEN"))
        {
            Next();
            var low = Operand(item);
            if (!Keyword("AND")) throw Invalid("Invalid BETWEEN: expected AND");
            Next();
            var high = Operand(item);
            return Compare(left, low) is >= 0 && Compare(left, high) is <= 0;
        }
        if (Keyword("IN"))
        {
            Next();
            Expect(K.LParen);
            var any = false;
            while (true)
            {
                any |= Compare(left, Operand(item)) == 0;
                if (Peek.Kind == K.Comma) { Next(); continue; }
                break;
            }
            Expect(K.RParen);
            return any;
        }
        var op = Next();
        if (op.Kind != K.Op) throw Invalid($"Invalid expression: expected a comparator, found '{op.Text}'");
        var right = Operand(item);
        var cmp = Compare(left, right);
        return op.Text switch
        {
            "=" => cmp == 0,
            "<>" => cmp != 0,
            "<" => cmp is < 0,
            "<=" => cmp is <= 0,
            ">" => cmp is > 0,
            ">=" => cmp is >= 0,
            _ => throw Invalid($"Invalid comparator {op.Text}"),
        };
    }

    static string? Text(JsonNode? v) => (string?)v?["S"] ?? (string?)v?["B"];

    static bool Contains(JsonNode? value, JsonNode? argument) => value switch
    {
        JsonObject o when o["S"] is { } s => Text(argument) is { } part && ((string)s!).Contains(part, StringComparison.Ordinal),
        JsonObject o when (o["SS"] ?? o["NS"] ?? o["BS"]) is JsonArray set
            => set.Any(e => (string?)e == ((string?)argument?["S"] ?? (string?)argument?["N"] ?? (string?)argument?["B"])),
        JsonObject o when o["L"] is JsonArray list => list.Any(e => JsonNode.DeepEquals(e, argument)),
        _ => false,
    };

    /// <summary>Orders two attribute values of the same type; null when they cannot be compared (then no comparison holds but &lt;&gt;).</summary>
    internal static int? Compare(JsonNode? a, JsonNode? b)
    {
        if (a == null || b == null) return a == null && b == null ? 0 : null;
        if (a["N"] is { } na && b["N"] is { } nb)
            return decimal.Parse((string)na!, NumberStyles.Float,
                CultureInfo.InvariantCulture).CompareTo(decimal.Parse((string)nb!, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (a["S"] is { } sa && b["S"] is { } sb) return string.CompareOrdinal((string)sa!, (string)sb!);
        return JsonNode.DeepEquals(a, b) ? 0 : null;
    }

    // ---------------- updates ----------------

    /// <summary>Applies an update expression to an item in place.</summary>
    public void Update(string expression, JsonObject item)
    {
        _t = Lex(expression);
        _p = 0;
        while (Peek.Kind != K.End)
        {
            var clause = Next().Text.ToUpperInvariant();
            do
            {
                if (Peek.Kind == K.Comma) Next();
                switch (clause)
                {
                    case "SET":
                        {
                            var path = Path();
                            if (Next().Text != "=") throw Invalid("Invalid UpdateExpression: expected =");
                            Set(item, path, SetValue(item));
                            break;
                        }
                    case "REMOVE":
                        Set(item, Path(), null);
                        break;
                    case "ADD":
                        {
                            var path = Path();
                            var add = Operand(item)!;
                            var current = Get(item, path);
                            if (add["N"] is { } n)
                                Set(item, path, new JsonObject { ["N"] = (Number(current)
                                    + decimal.Parse((string)n!, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) });
                            else
                                Set(item, path, MergeSet(current, add, remove: false));
                            break;
                        }
                    case "DELETE":
                        {
                            var path = Path();
                            Set(item, path, MergeSet(Get(item, path), Operand(item)!, remove: true));
                            break;
                        }
                    default:
                        throw Invalid($"Invalid UpdateExpression: unknown clause {clause}");
                }
            }
            while (Peek.Kind == K.Comma);
        }
    }

    JsonNode? SetValue(JsonObject item)
    {
        var left = SetTerm(item);
        while (Peek.Kind == K.Op && Peek.Text is "+" or "-")
        {
            var op = Next().Text;
            var right = SetTerm(item);
            var sum = op == "+" ? Number(left) + Number(right) : Number(left) - Number(right);
            left = new JsonObject { ["N"] = sum.ToString(CultureInfo.InvariantCulture) };
        }
        return left;
    }

    JsonNode? SetTerm(JsonObject item)
    {
        if (Keyword("if_not_exists"))
        {
            Next();
            Expect(K.LParen);
            var existing = Get(item, Path())?.DeepClone();
            Expect(K.Comma);
            var fallback = Operand(item);
            Expect(K.RParen);
            return existing ?? fallback;
        }
        if (Keyword("list_append"))
        {
            Next();
            Expect(K.LParen);
            var a = SetTerm(item);
            Expect(K.Comma);
            var b = SetTerm(item);
            Expect(K.RParen);
            var list = new JsonArray();
            foreach (var e in ((a?["L"] as JsonArray) ?? []).Concat((b?["L"] as JsonArray) ?? [])) list.Add(e?.DeepClone());
            return new JsonObject { ["L"] = list };
        }
        return Operand(item);
    }

    static decimal Number(JsonNode? v) =>
        v?["N"] is { } n ? decimal.Parse((string)n!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : v == null ? 0 : throw Invalid("An operand in the update expression has an incorrect data type");

    static JsonNode? MergeSet(JsonNode? current, JsonNode change, bool remove)
    {
        var kind = new[] { "SS", "NS", "BS" }.FirstOrDefault(k => change[k] != null) ?? throw Invalid("Invalid UpdateExpression: ADD/DELETE takes a number or a set");
        var items = ((current?[kind] as JsonArray) ?? []).Select(e => (string)e!).ToList();
        foreach (var e in ((JsonArray)change[kind]!).Select(e => (string)e!))
            if (remove) items.Remove(e); else if (!items.Contains(e)) items.Add(e);
        return items.Count == 0 ? null : new JsonObject { [kind] = new JsonArray(items.Select(e => (JsonNode?)e).ToArray()) };
    }
}
