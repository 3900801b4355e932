using System.Globalization;

namespace Gatehouse.Governance.Policies;

/// <summary>
/// A condition written in the common subset of CEL — attributes compared with literals (<c>== != &lt; &lt;= &gt; &gt;=</c>),
/// <c>in</c> over lists and the guardrails map, <c>has()</c>, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses —
/// compiled to a small tree that reads the <see cref="PolicyRequest"/> directly, without building CEL variables.
/// It gives the same true, false or error as the Cel package for every expression it accepts (a test checks this over
/// requests with and without the optional facts); anything else is left to the Cel package.
/// </summary>
internal sealed class FastCondition
{
    private readonly Node _root;

    private FastCondition(Node root) => _root = root;

    /// <summary>Compiles <paramref name="source"/> when it is in the subset and type-checks against the schema; else null.</summary>
    public static FastCondition? TryCompile(string source, PolicyAttributeSchema schema)
    {
        var parser = new Parser(source, schema);
        var root = parser.ParseAll();
        return root is { Type: ValueType.Bool } ? new FastCondition(root) : null;
    }

    /// <summary>Evaluates over <paramref name="request"/>.</summary>
    public ConditionResult Evaluate(PolicyRequest request, out string? error)
    {
        var value = _root.Evaluate(request);
        if (value.Error is { } message)
        {
            error = message;
            return ConditionResult.Error;
        }

        error = null;
        return value.Bool ? ConditionResult.True : ConditionResult.False;
    }

    private enum ValueType
    {
        Bool,
        Int,
        String,
        StringList,
        IntList,
        StringMap,
    }

    /// <summary>A value during evaluation; <see cref="Error"/> set means the expression could not be decided.</summary>
    private readonly record struct Value(bool Bool, long Int, string? String, IReadOnlyList<string>? Strings, long[]? Ints, IReadOnlyDictionary<string, string>? Map, string? Error)
    {
        public static Value Of(bool value) => new(value, 0, null, null, null, null, null);

        public static Value Of(long value) => new(false, value, null, null, null, null, null);

        public static Value Of(string value) => new(false, 0, value, null, null, null, null);

        public static Value Of(IReadOnlyList<string> value) => new(false, 0, null, value, null, null, null);

        public static Value Of(IReadOnlyDictionary<string, string> value) => new(false, 0, null, null, null, value, null);

        public static Value Fail(string error) => new(false, 0, null, null, null, null, error);
    }

    private abstract class Node(ValueType type)
    {
        public ValueType Type { get; } = type;

        public abstract Value Evaluate(PolicyRequest request);
    }

    private sealed class Constant(ValueType type, Value value) : Node(type)
    {
        public Value Value { get; } = value;

        public override Value Evaluate(PolicyRequest request) => Value;
    }

    private sealed class Attribute(ValueType type, Func<PolicyRequest, Value> read) : Node(type)
    {
        public override Value Evaluate(PolicyRequest request) => read(request);
    }

    private sealed class Not(Node operand) : Node(ValueType.Bool)
    {
        public override Value Evaluate(PolicyRequest request)
        {
            var value = operand.Evaluate(request);
            return value.Error is null ? Value.Of(!value.Bool) : value;
        }
    }

    /// <summary>
    /// <c>&amp;&amp;</c> and <c>||</c> as the Cel package evaluates them: left to right, short-circuiting, an error on the
    /// left ending the evaluation (the package does not absorb errors the way the CEL specification allows).
    /// </summary>
    private sealed class Logical(Node left, Node right, bool isAnd) : Node(ValueType.Bool)
    {
        public override Value Evaluate(PolicyRequest request)
        {
            var a = left.Evaluate(request);
            return a.Error is not null || a.Bool != isAnd ? a : right.Evaluate(request);
        }
    }

    private sealed class Compare(Node left, Node right, string op) : Node(ValueType.Bool)
    {
        public override Value Evaluate(PolicyRequest request)
        {
            var a = left.Evaluate(request);
            if (a.Error is not null)
            {
                return a;
            }

            var b = right.Evaluate(request);
            if (b.Error is not null)
            {
                return b;
            }

            var order = left.Type switch
            {
                ValueType.Int => a.Int.CompareTo(b.Int),
                ValueType.String => string.CompareOrdinal(a.String, b.String),
                _ => a.Bool.CompareTo(b.Bool),
            };
            return Value.Of(op switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            });
        }
    }

    private sealed class In(Node item, Node collection) : Node(ValueType.Bool)
    {
        public override Value Evaluate(PolicyRequest request)
        {
            var a = item.Evaluate(request);
            if (a.Error is not null)
            {
                return a;
            }

            var b = collection.Evaluate(request);
            if (b.Error is not null)
            {
                return b;
            }

            return collection.Type switch
            {
                ValueType.StringMap => Value.Of(b.Map!.ContainsKey(a.String!)),
                ValueType.IntList => Value.Of(Array.IndexOf(b.Ints!, a.Int) >= 0),
                _ => Value.Of(Contains(b.Strings!, a.String!)),
            };
        }

        private static bool Contains(IReadOnlyList<string> list, string item)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (string.Equals(list[i], item, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A recursive-descent parser for the subset; any token or shape outside it gives null.</summary>
    private sealed class Parser(string source, PolicyAttributeSchema schema)
    {
        private readonly List<string> _tokens = Tokenize(source);
        private int _next;

        public Node? ParseAll()
        {
            if (_tokens.Count == 0 || _tokens.Contains(string.Empty))
            {
                return null;
            }

            var node = Or();
            return _next == _tokens.Count ? node : null;
        }

        private string? Peek => _next < _tokens.Count ? _tokens[_next] : null;

        private bool Accept(string token)
        {
            if (Peek == token)
            {
                _next++;
                return true;
            }

            return false;
        }

        private Node? Or()
        {
            var left = And();
            while (left is not null && Accept("||"))
            {
                left = Bools(left, And()) is { } right ? new Logical(left, right, isAnd: false) : null;
            }

            return left;
        }

        private Node? And()
        {
            var left = Relation();
            while (left is not null && Accept("&&"))
            {
                left = Bools(left, Relation()) is { } right ? new Logical(left, right, isAnd: true) : null;
            }

            return left;
        }

        private static Node? Bools(Node left, Node? right) => left.Type == ValueType.Bool && right is { Type: ValueType.Bool } ? right : null;

        private Node? Relation()
        {
            var left = Unary();
            if (left is null || Peek is not ("==" or "!=" or "<" or "<=" or ">" or ">=" or "in"))
            {
                return left;
            }

            var op = _tokens[_next++];
            var right = Unary();
            if (right is null || Peek is "==" or "!=" or "<" or "<=" or ">" or ">=" or "in")
            {
                return null;
            }

            if (op == "in")
            {
                var fits = (left.Type, right.Type) is (ValueType.String, ValueType.StringList) or (ValueType.String, ValueType.StringMap) or (ValueType.Int, ValueType.IntList);
                return fits ? new In(left, right) : null;
            }

            if (left.Type != right.Type || left.Type is not (ValueType.Int or ValueType.String or ValueType.Bool))
            {
                return null;
            }

            // Ordering is left to the Cel package for strings (code points, not UTF-16 units) and booleans.
            return op is "==" or "!=" || left.Type == ValueType.Int ? new Compare(left, right, op) : null;
        }

        private Node? Unary()
        {
            if (Accept("!"))
            {
                return Unary() is { Type: ValueType.Bool } operand ? new Not(operand) : null;
            }

            return Primary();
        }

        private Node? Primary()
        {
            var token = Peek;
            if (token is null)
            {
                return null;
            }

            if (Accept("("))
            {
                var inner = Or();
                return inner is not null && Accept(")") ? inner : null;
            }

            if (Accept("["))
            {
                return List();
            }

            if (Literal() is { } literal)
            {
                return literal;
            }

            if (token == "has")
            {
                _next++;
                return Accept("(") && Has() is { } has && Accept(")") ? has : null;
            }

            return Select();
        }

        private Constant? Literal()
        {
            var token = Peek!;
            if (token is "true" or "false")
            {
                _next++;
                return new Constant(ValueType.Bool, Value.Of(token == "true"));
            }

            if (token[0] is '"' or '\'')
            {
                _next++;
                return new Constant(ValueType.String, Value.Of(token[1..^1]));
            }

            var negative = token == "-";
            var digits = negative && _next + 1 < _tokens.Count ? _tokens[_next + 1] : token;
            if (char.IsAsciiDigit(digits[0]) && long.TryParse(negative ? "-" + digits : digits, NumberStyles.None | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                && (digits.Length == 1 || digits[0] != '0'))
            {
                _next += negative ? 2 : 1;
                return new Constant(ValueType.Int, Value.Of(number));
            }

            return null;
        }

        private Constant? List()
        {
            var strings = new List<string>();
            var ints = new List<long>();
            if (!Accept("]"))
            {
                do
                {
                    switch (Peek is null ? null : Literal())
                    {
                        case Constant { Type: ValueType.String } s:
                            strings.Add(s.Value.String!);
                            break;
                        case Constant { Type: ValueType.Int } n:
                            ints.Add(n.Value.Int);
                            break;
                        default:
                            return null;
                    }
                }
                while (Accept(","));

                if (!Accept("]") || (strings.Count > 0 && ints.Count > 0))
                {
                    return null;
                }
            }

            // An empty list literal has no element type the subset can check: leave it to the Cel package.
            return ints.Count > 0
                ? new Constant(ValueType.IntList, new Value(false, 0, null, null, [.. ints], null, null))
                : strings.Count > 0 ? new Constant(ValueType.StringList, Value.Of(strings.ToArray())) : null;
        }

        private Node? Has()
        {
            var path = Path();
            if (path is not { Count: 2 or 3 } || !schema.TryFind(path[0], path[1], out var attribute))
            {
                return null;
            }

            if (path.Count == 3)
            {
                if (attribute.Type != PolicyAttributeType.StringMap)
                {
                    return null;
                }

                var key = path[2];
                return new Attribute(ValueType.Bool, r => Value.Of(r.Context.Guardrails.ContainsKey(key)));
            }

            if (attribute.AlwaysPresent)
            {
                return new Constant(ValueType.Bool, Value.Of(true));
            }

            var read = Reader(path[0], path[1]);
            return read is null ? null : new Attribute(ValueType.Bool, r => Value.Of(read(r).Error is null));
        }

        private Attribute? Select()
        {
            var path = Path();
            if (path is not { Count: 2 or 3 } || !schema.TryFind(path[0], path[1], out var attribute) || Reader(path[0], path[1]) is not { } read)
            {
                return null;
            }

            var type = attribute.Type switch
            {
                PolicyAttributeType.String => ValueType.String,
                PolicyAttributeType.Int => ValueType.Int,
                PolicyAttributeType.Bool => ValueType.Bool,
                PolicyAttributeType.StringList => ValueType.StringList,
                PolicyAttributeType.StringMap => ValueType.StringMap,
                _ => (ValueType?)null,
            };
            if (type is null)
            {
                return null;
            }

            if (path.Count == 2)
            {
                return new Attribute(type.Value, read);
            }

            if (type != ValueType.StringMap)
            {
                return null;
            }

            var key = path[2];
            return new Attribute(ValueType.String, r => r.Context.Guardrails.TryGetValue(key, out var verdict) ? Value.Of(verdict) : Value.Fail($"no such key: {key}"));
        }

        private List<string>? Path()
        {
            var path = new List<string>();
            while (Peek is { } token && IsIdentifier(token))
            {
                path.Add(token);
                _next++;
                if (!Accept("."))
                {
                    return path;
                }
            }

            return null;
        }

        private static bool IsIdentifier(string token) =>
            (char.IsAsciiLetter(token[0]) || token[0] == '_') && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            && token is not ("true" or "false" or "null" or "in" or "has");

        /// <summary>Reads one attribute of the request as the CEL variables would hold it.</summary>
        private static Func<PolicyRequest, Value>? Reader(string root, string name) => (root, name) switch
        {
            ("principal", "id") => r => Value.Of(r.Principal.Id),
            ("principal", "type") => r => Value.Of(EntityTypeNames.Of(r.Principal.Type)),
            ("principal", "user") => r => Value.Of(PolicyActivation.Nearest(r.Principal, r.PrincipalAncestors, EntityType.User)),
            ("principal", "agent") => r => Value.Of(PolicyActivation.Nearest(r.Principal, r.PrincipalAncestors, EntityType.Agent)),
            ("principal", "team") => r => Value.Of(PolicyActivation.Nearest(r.Principal, r.PrincipalAncestors, EntityType.Team)),
            ("principal", "org") => r => Value.Of(PolicyActivation.Nearest(r.Principal, r.PrincipalAncestors, EntityType.Org)),
            ("principal", "key") => r => Value.Of(PolicyActivation.Nearest(r.Principal, r.PrincipalAncestors, EntityType.Key)),
            ("principal", "tags") => r => Value.Of(r.PrincipalTags),
            ("principal", "roles") => r => Value.Of(r.PrincipalRoles),
            ("resource", "id") => r => Value.Of(r.Resource.Id),
            ("resource", "type") => r => Value.Of(EntityTypeNames.Of(r.Resource.Type)),
            ("resource", "provider") => r => Value.Of(PolicyActivation.Nearest(r.Resource, r.ResourceParents, EntityType.Provider)),
            ("resource", "mcp_server") => r => Value.Of(PolicyActivation.Nearest(r.Resource, r.ResourceParents, EntityType.McpServer)),
            ("resource", "groups") => r => Value.Of(PolicyActivation.Groups(r)),
            ("resource", "tags") => r => Value.Of(r.ResourceTags),
            ("context", "hour") => r => Value.Of((long)r.Context.Time.ToUniversalTime().Hour),
            ("context", "day_of_week") => r => Value.Of((long)r.Context.Time.ToUniversalTime().DayOfWeek),
            ("context", "tags") => r => Value.Of(r.Context.Tags),
            ("context", "has_tools") => r => Value.Of(r.Context.HasTools),
            ("context", "has_images") => r => Value.Of(r.Context.HasImages),
            ("context", "stream") => r => Value.Of(r.Context.Stream),
            ("context", "guardrails") => r => Value.Of(r.Context.Guardrails),
            ("context", "source_ip") => r => r.Context.SourceIp is { } ip ? Value.Of(ip) : Value.Fail("no such key: source_ip"),
            ("context", "estimated_tokens") => r => r.Context.EstimatedTokens is { } t ? Value.Of(t) : Value.Fail("no such key: estimated_tokens"),
            ("context", "session_id") => r => r.Context.SessionId is { } s ? Value.Of(s) : Value.Fail("no such key: session_id"),
            _ => null,
        };

        /// <summary>Splits the source into tokens; an empty token marks something outside the subset.</summary>
        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                if (char.IsAsciiLetter(c) || c == '_')
                {
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    {
                        i++;
                    }
                }
                else if (char.IsAsciiDigit(c))
                {
                    while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
                    {
                        i++;
                    }

                    if (i < text.Length && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
                    {
                        tokens.Add(string.Empty); // a double literal
                        return tokens;
                    }
                }
                else if (c is '"' or '\'')
                {
                    i++;
                    while (i < text.Length && text[i] != c && text[i] != '\\' && text[i] != '\n')
                    {
                        i++;
                    }

                    if (i >= text.Length || text[i] != c)
                    {
                        tokens.Add(string.Empty); // escapes, multi-line or unterminated strings
                        return tokens;
                    }

                    i++;
                }
                else
                {
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
                    if (two is "&&" or "||" or "==" or "!=" or "<=" or ">=")
                    {
                        i += 2;
                    }
                    else if (c is '(' or ')' or '[' or ']' or ',' or '.' or '!' or '<' or '>' or '-')
                    {
                        i++;
                    }
                    else
                    {
                        tokens.Add(string.Empty);
                        return tokens;
                    }
                }

                tokens.Add(text[start..i]);
            }

            return tokens;
        }
    }
}
