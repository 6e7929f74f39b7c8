using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.Aws.Waiters;

/// <summary>
/// The part of JMESPath that AWS waiter acceptors use: fields, sub-expressions, indexes, list/object/filter
/// projections, flattening, comparisons, <c>&amp;&amp;</c> <c>||</c> <c>!</c>, pipes, literals and the functions
/// <c>length</c> and <c>contains</c>. Evaluated over <see cref="JsonNode"/>; parsed expressions are cached.
/// </summary>
public static class JmesPath
{
    static readonly ConcurrentDictionary<string, Node> Cache = new();

    public static JsonNode? Evaluate(string expression, JsonNode? data) =>
        Cache.GetOrAdd(expression, e => new Parser(e).ParseAll()).Eval(data);

    /// <summary>JMESPath truthiness: false, null, "", [] and {} are false; everything else (0 too) is true.</summary>
    public static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length > 0,
        _ => true,
    };

    // ---------------- AST ----------------

    abstract record Node
    {
        public abstract JsonNode? Eval(JsonNode? x);
    }

    sealed record Identity : Node
    {
        public override JsonNode? Eval(JsonNode? x) => x;
    }

    sealed record Field(string Name) : Node
    {
        public override JsonNode? Eval(JsonNode? x) => x is JsonObject o && o.TryGetPropertyValue(Name, out var v) ? v : null;
    }

    sealed record Sub(Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x) => Right.Eval(Left.Eval(x));
    }

    sealed record Pipe(Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x) => Right.Eval(Left.Eval(x));
    }

    sealed record Index(int I) : Node
    {
        public override JsonNode? Eval(JsonNode? x)
        {
            if (x is not JsonArray a) return null;
            var i = I < 0 ? a.Count + I : I;
            return i >= 0 && i < a.Count ? a[i] : null;
        }
    }

    sealed record Literal(JsonNode? Value) : Node
    {
        public override JsonNode? Eval(JsonNode? x) => Value?.DeepClone();
    }

    sealed record Flatten(Node Inner) : Node
    {
        public override JsonNode? Eval(JsonNode? x)
        {
            if (Inner.Eval(x) is not JsonArray a) return null;
            var result = new JsonArray();
            foreach (var item in a)
                if (item is JsonArray nested)
                    foreach (var n in nested) result.Add(n?.DeepClone());
                else
                    result.Add(item?.DeepClone());
            return result;
        }
    }

    sealed record ListProjection(Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x) => Left.Eval(x) is JsonArray a ? Project(a, Right) : null;
    }

    sealed record ValueProjection(Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x) =>
            Left.Eval(x) is JsonObject o ? Project(o.Select(p => p.Value), Right) : null;
    }

    sealed record FilterProjection(Node Left, Node Right, Node Condition) : Node
    {
        public override JsonNode? Eval(JsonNode? x) =>
            Left.Eval(x) is JsonArray a ? Project(a.Where(e => IsTruthy(Condition.Eval(e))), Right) : null;
    }

    sealed record Not(Node Inner) : Node
    {
        public override JsonNode? Eval(JsonNode? x) => JsonValue.Create(!IsTruthy(Inner.Eval(x)));
    }

    sealed record And(Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x)
        {
            var l = Left.Eval(x);
            return IsTruthy(l) ? Right.Eval(x) : l;
        }
    }

    sealed record Or(Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x)
        {
            var l = Left.Eval(x);
            return IsTruthy(l) ? l : Right.Eval(x);
        }
    }

    sealed record Compare(string Op, Node Left, Node Right) : Node
    {
        public override JsonNode? Eval(JsonNode? x)
        {
            var l = Left.Eval(x);
            var r = Right.Eval(x);
            switch (Op)
            {
                case "==": return JsonValue.Create(JsonNode.DeepEquals(l, r));
                case "!=": return JsonValue.Create(!JsonNode.DeepEquals(l, r));
            }
            if (Number(l) is not { } a || Number(r) is not { } b) return null;
            return JsonValue.Create(Op switch { "<" => a < b, "<=" => a <= b, ">" => a > b, _ => a >= b });
        }

        static double? Number(JsonNode? n) =>
            n is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
    }

    sealed record Function(string Name, IReadOnlyList<Node> Args) : Node
    {
        public override JsonNode? Eval(JsonNode? x)
        {
            var args = Args.Select(a => a.Eval(x)).ToList();
            switch (Name)
            {
                case "length" when args.Count == 1:
                    return args[0] switch
                    {
                        JsonArray a => a.Count,
                        JsonObject o => o.Count,
                        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length,
                        _ => throw new InvalidOperationException("length() takes a string, array or object."),
                    };
                case "contains" when args.Count == 2:
                    return args[0] switch
                    {
                        JsonArray a => a.Any(e => JsonNode.DeepEquals(e, args[1])),
                        JsonValue v when v.GetValueKind() == JsonValueKind.String && args[1] is JsonValue s
                            && s.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Contains(s.GetValue<string>(), StringComparison.Ordinal),
                        _ => false,
                    };
                default:
                    throw new NotSupportedException($"JMESPath function {Name}() with {args.Count} argument(s) is not supported.");
            }
        }
    }

    static JsonArray Project(IEnumerable<JsonNode?> items, Node right)
    {
        var result = new JsonArray();
        foreach (var item in items)
            if (right.Eval(item) is { } v)
                result.Add(v.DeepClone());
        return result;
    }

    // ---------------- lexer + Pratt parser (binding powers from the JMESPath specification) ----------------

    enum T { Eof, Ident, Quoted, Number, Literal, Dot, Star, LBracket, RBracket, Flatten, Filter, LParen, RParen, Comma, Pipe, Or, And, Not, Cmp, Current }

    readonly record struct Token(T Type, string Text, JsonNode? Value = null);

    static int BindingPower(T t) => t switch
    {
        T.Pipe => 1,
        T.Or => 2,
        T.And => 3,
        T.Cmp => 5,
        T.Flatten => 9,
        T.Star => 20,
        T.Filter => 21,
        T.Dot => 40,
        T.Not => 45,
        T.LBracket => 55,
        T.LParen => 60,
        _ => 0,
    };

    sealed class Parser
    {
        readonly string _text;
        readonly List<Token> _tokens;
        int _pos;

        public Parser(string text)
        {
            _text = text;
            _tokens = Lex(text);
        }

        Token Current => _tokens[_pos];
        Token Next(int ahead = 1) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];
        Token Advance() => _tokens[_pos++];

        Token Expect(T type)
        {
            if (Current.Type != type) throw Error($"expected {type}, found '{Current.Text}'");
            return Advance();
        }

        Exception Error(string what) => new FormatException($"JMESPath '{_text}': {what}.");

        public Node ParseAll()
        {
            var node = Expression(0);
            if (Current.Type != T.Eof) throw Error($"unexpected '{Current.Text}'");
            return node;
        }

        Node Expression(int rbp)
        {
            var left = Nud(Advance());
            while (rbp < BindingPower(Current.Type)) left = Led(Advance(), left);
            return left;
        }

        Node Nud(Token t)
        {
            switch (t.Type)
            {
                case T.Ident or T.Quoted: return new Field(t.Text);
                case T.Literal: return new Literal(t.Value);
                case T.Current: return new Identity();
                case T.Star: return new ValueProjection(new Identity(), ProjectionRhs(BindingPower(T.Star)));
                case T.Filter: return FilterFrom(new Identity());
                case T.Flatten: return new ListProjection(new Flatten(new Identity()), ProjectionRhs(BindingPower(T.Flatten)));
                case T.Not: return new Not(Expression(BindingPower(T.Not)));
                case T.LParen:
                    var inner = Expression(0);
                    Expect(T.RParen);
                    return inner;
                case T.LBracket:
                    if (Current.Type == T.Number) return IndexExpression(new Identity());
                    if (Current.Type == T.Star && Next().Type == T.RBracket)
                    {
                        Advance();
                        Advance();
                        return new ListProjection(new Identity(), ProjectionRhs(BindingPower(T.Star)));
                    }
                    throw Error("multi-select lists are not supported");
                default:
                    throw Error($"unexpected '{t.Text}'");
            }
        }

        Node Led(Token t, Node left)
        {
            switch (t.Type)
            {
                case T.Dot:
                    if (Current.Type == T.Star)
                    {
                        Advance();
                        return new ValueProjection(left, ProjectionRhs(BindingPower(T.Star)));
                    }
                    return new Sub(left, DotRhs(BindingPower(T.Dot)));
                case T.Pipe: return new Pipe(left, Expression(BindingPower(T.Pipe)));
                case T.Or: return new Or(left, Expression(BindingPower(T.Or)));
                case T.And: return new And(left, Expression(BindingPower(T.And)));
                case T.Cmp: return new Compare(t.Text, left, Expression(BindingPower(T.Cmp)));
                case T.Filter: return FilterFrom(left);
                case T.Flatten: return new ListProjection(new Flatten(left), ProjectionRhs(BindingPower(T.Flatten)));
                case T.LParen:
                    if (left is not Field f) throw Error("only a name can be called as a function");
                    var args = new List<Node>();
                    while (Current.Type != T.RParen)
                    {
                        args.Add(Expression(0));
                        if (Current.Type == T.Comma) Advance();
                    }
                    Advance();
                    return new Function(f.Name, args);
                case T.LBracket:
                    if (Current.Type == T.Number) return IndexExpression(left);
                    Expect(T.Star);
                    Expect(T.RBracket);
                    return new ListProjection(left, ProjectionRhs(BindingPower(T.Star)));
                default:
                    throw Error($"unexpected '{t.Text}'");
            }
        }

        Node IndexExpression(Node left)
        {
            var index = int.Parse(Advance().Text, System.Globalization.CultureInfo.InvariantCulture);
            Expect(T.RBracket);
            return left is Identity ? new Index(index) : new Sub(left, new Index(index));
        }

        Node FilterFrom(Node left)
        {
            var condition = Expression(0);
            Expect(T.RBracket);
            return new FilterProjection(left, ProjectionRhs(BindingPower(T.Filter)), condition);
        }

        Node ProjectionRhs(int rbp)
        {
            if (BindingPower(Current.Type) < 10) return new Identity();
            if (Current.Type is T.LBracket or T.Filter or T.Flatten) return Expression(rbp);
            if (Current.Type == T.Dot)
            {
                Advance();
                return DotRhs(rbp);
            }
            throw Error($"unexpected '{Current.Text}' after a projection");
        }

        Node DotRhs(int rbp)
        {
            if (Current.Type is T.Ident or T.Quoted or T.Star) return Expression(rbp);
            throw Error($"expected a name after '.', found '{Current.Text}'");
        }

        List<Token> Lex(string s)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                if (char.IsLetter(c) || c == '_')
                {
                    var start = i;
                    while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
                    tokens.Add(new Token(T.Ident, s[start..i]));
                    continue;
                }
                if (char.IsDigit(c) || (c == '-' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
                {
                    var start = i++;
                    while (i < s.Length && char.IsDigit(s[i])) i++;
                    tokens.Add(new Token(T.Number, s[start..i]));
                    continue;
                }
                switch (c)
                {
                    case '`':
                        var end = i + 1;
                        var sb = new StringBuilder();
                        while (end < s.Length && s[end] != '`')
                        {
                            if (s[end] == '\\' && end + 1 < s.Length && s[end + 1] == '`') end++;
                            sb.Append(s[end++]);
                        }
                        if (end >= s.Length) throw Error("unterminated literal");
                        tokens.Add(new Token(T.Literal, sb.ToString(), JsonNode.Parse(sb.ToString())));
                        i = end + 1;
                        continue;
                    case '\'':
                        var close = s.IndexOf('\'', i + 1);
                        if (close < 0) throw Error("unterminated raw string");
                        tokens.Add(new Token(T.Literal, s[(i + 1)..close], JsonValue.Create(s[(i + 1)..close])));
                        i = close + 1;
                        continue;
                    case '"':
                        var q = i + 1;
                        while (q < s.Length && s[q] != '"') q += s[q] == '\\' ? 2 : 1;
                        if (q >= s.Length) throw Error("unterminated quoted name");
                        tokens.Add(new Token(T.Quoted, JsonSerializer.Deserialize<string>(s[i..(q + 1)])!));
                        i = q + 1;
                        continue;
                    case '.': tokens.Add(new Token(T.Dot, ".")); i++; continue;
                    case '*': tokens.Add(new Token(T.Star, "*")); i++; continue;
                    case '@': tokens.Add(new Token(T.Current, "@")); i++; continue;
                    case ']': tokens.Add(new Token(T.RBracket, "]")); i++; continue;
                    case '(': tokens.Add(new Token(T.LParen, "(")); i++; continue;
                    case ')': tokens.Add(new Token(T.RParen, ")")); i++; continue;
                    case ',': tokens.Add(new Token(T.Comma, ",")); i++; continue;
                    case '[':
                        if (At(s, i, "[]")) { tokens.Add(new Token(T.Flatten, "[]")); i += 2; }
                        else if (At(s, i, "[?")) { tokens.Add(new Token(T.Filter, "[?")); i += 2; }
                        else { tokens.Add(new Token(T.LBracket, "[")); i++; }
                        continue;
                    case '|':
                        if (At(s, i, "||")) { tokens.Add(new Token(T.Or, "||")); i += 2; }
                        else { tokens.Add(new Token(T.Pipe, "|")); i++; }
                        continue;
                    case '&':
                        if (!At(s, i, "&&")) throw Error("'&' is only supported as '&&'");
                        tokens.Add(new Token(T.And, "&&"));
                        i += 2;
                        continue;
                    case '!':
                        if (At(s, i, "!=")) { tokens.Add(new Token(T.Cmp, "!=")); i += 2; }
                        else { tokens.Add(new Token(T.Not, "!")); i++; }
                        continue;
                    case '=' when At(s, i, "=="): tokens.Add(new Token(T.Cmp, "==")); i += 2; continue;
                    case '<' or '>':
                        var op = At(s, i + 1, "=") ? $"{c}=" : c.ToString();
                        tokens.Add(new Token(T.Cmp, op));
                        i += op.Length;
                        continue;
                    default:
                        throw Error($"unexpected character '{c}' at {i}");
                }
            }
            tokens.Add(new Token(T.Eof, "end of expression"));
            return tokens;
        }

        static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0;
    }
}
