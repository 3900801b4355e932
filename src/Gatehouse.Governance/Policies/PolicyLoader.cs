using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Governance.Policies;

/// <summary>
/// Parses policy documents (YAML), validates them against the entity types, the actions and the attribute schema, and
/// compiles them into one <see cref="PolicySet"/>, reporting every problem at once with file:line:column.
/// </summary>
public sealed class PolicyLoader
{
    private static readonly string[] DocumentKeys = ["mode", "policies"];
    private static readonly string[] StatementKeys = ["id", "effect", "description", "mode", "principal", "action", "resource", "when"];
    private static readonly string[] RequiredKeys = ["id", "effect", "principal", "action", "resource"];

    private readonly ConditionCompiler _conditions;

    /// <summary>Creates a loader that validates conditions against <paramref name="schema"/> (default: <see cref="PolicyAttributeSchema.Default"/>).</summary>
    public PolicyLoader(PolicyAttributeSchema? schema = null) =>
        _conditions = new ConditionCompiler(schema ?? PolicyAttributeSchema.Default);

    /// <summary>Loads one document from text; <paramref name="name"/> names it in errors.</summary>
    public PolicyLoadResult Load(string text, string name) => Load([new PolicySource(name, text)]);

    /// <summary>Reads and loads files into one set; ids must be unique across all of them.</summary>
    public PolicyLoadResult LoadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var sources = new List<PolicySource>();
        var errors = new List<PolicyError>();
        foreach (var path in paths)
        {
            try
            {
                sources.Add(new PolicySource(path, File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new PolicyError(path, 0, 0, $"cannot read the policy file: {ex.Message}"));
            }
        }

        var result = Load(sources);
        return errors.Count == 0 ? result : PolicyLoadResult.Failure([.. errors, .. result.Errors]);
    }

    /// <summary>Loads several documents into one set; ids must be unique across all of them.</summary>
    public PolicyLoadResult Load(IEnumerable<PolicySource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var errors = new List<PolicyError>();
        var statements = new List<PolicyStatement>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var reader = new PolicyYamlReader(source.Name, source.Text, errors);
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(source.Text));
            }
            catch (YamlException ex)
            {
                reader.Error((int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {ex.InnerException?.Message ?? ex.Message}");
                continue;
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            ReadDocument(reader, stream.Documents[0].RootNode, statements, seen);
        }

        return errors.Count == 0 ? PolicyLoadResult.Success(new PolicySet(statements)) : PolicyLoadResult.Failure(errors);
    }

    private void ReadDocument(PolicyYamlReader reader, YamlNode root, List<PolicyStatement> statements, Dictionary<string, string> seen)
    {
        var mode = PolicyMode.Enforce;
        YamlNode? policies = null;
        foreach (var (key, _, value) in reader.Entries(root, "the policy document", DocumentKeys))
        {
            if (key == "mode")
            {
                mode = ReadMode(reader, value) ?? mode;
            }
            else
            {
                policies = value;
            }
        }

        if (policies is null)
        {
            if (root is YamlMappingNode)
            {
                reader.Error(root, "the policy document has no 'policies' list: add policies: with at least one statement.");
            }

            return;
        }

        if (policies is not YamlSequenceNode list)
        {
            reader.Error(policies, "'policies' must be a list of statements (lines starting with '- ').");
            return;
        }

        foreach (var item in list.Children)
        {
            if (ReadStatement(reader, item, mode, seen) is { } statement)
            {
                statements.Add(statement);
            }
        }
    }

    private PolicyStatement? ReadStatement(PolicyYamlReader reader, YamlNode node, PolicyMode mode, Dictionary<string, string> seen)
    {
        string? id = null, description = null;
        PolicyEffect? effect = null;
        EntityScope? principal = null, resource = null;
        ActionScope? action = null;
        PolicyCondition? condition = null;
        var present = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        var what = NameOf(node);
        foreach (var (key, _, value) in reader.Entries(node, what, StatementKeys))
        {
            present.Add(key);
            switch (key)
            {
                case "id":
                    id = ReadId(reader, value, seen);
                    valid &= id is not null;
                    break;
                case "effect":
                    effect = ReadEffect(reader, value);
                    valid &= effect is not null;
                    break;
                case "description":
                    description = reader.Scalar(value, "'description'");
                    break;
                case "mode":
                    var statementMode = ReadMode(reader, value);
                    valid &= statementMode is not null;
                    mode = statementMode ?? mode;
                    break;
                case "principal":
                    principal = PolicyScopeReader.ReadEntity(reader, value, $"'principal' of {what}", principal: true);
                    valid &= principal is not null;
                    break;
                case "resource":
                    resource = PolicyScopeReader.ReadEntity(reader, value, $"'resource' of {what}", principal: false);
                    valid &= resource is not null;
                    break;
                case "action":
                    action = PolicyScopeReader.ReadActions(reader, value);
                    valid &= action is not null;
                    break;
                default:
                    condition = ReadCondition(reader, value);
                    valid &= condition is not null;
                    break;
            }
        }

        if (node is not YamlMappingNode)
        {
            return null;
        }

        foreach (var required in RequiredKeys)
        {
            if (!present.Contains(required))
            {
                valid = false;
                reader.Error(node, $"{what} has no '{required}': {RequiredHint(required)}");
            }
        }

        return valid
            ? new PolicyStatement
            {
                Id = id!,
                Effect = effect!.Value,
                Mode = mode,
                Principal = principal!,
                Action = action!,
                Resource = resource!,
                Condition = condition,
                Description = description,
                Origin = $"{reader.File}:{node.Start.Line}",
            }
            : null;
    }

    // Messages name the statement by its id even for keys written before the id.
    private static string NameOf(YamlNode node) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id is YamlScalarNode { Value: { Length: > 0 } name }
            ? $"statement '{name}'"
            : "a statement";

    private static string RequiredHint(string key) => key switch
    {
        "id" => "give every statement a unique id, named in decisions and audit records.",
        "effect" => "write effect: permit or effect: forbid.",
        "action" => "name the actions (invoke_model, [invoke_model, use_embeddings], admin:*) or write any.",
        _ => $"write {key}: any to match every {key}, or scope it (Type::id, {{ type: T }}, {{ in: Type::id }}).",
    };

    private static string? ReadId(PolicyYamlReader reader, YamlNode node, Dictionary<string, string> seen)
    {
        var id = reader.Scalar(node, "'id'");
        if (string.IsNullOrWhiteSpace(id))
        {
            if (id is not null)
            {
                reader.Error(node, "'id' is empty: give the statement a unique name such as no-agents-on-gpt4o.");
            }

            return null;
        }

        var here = $"{reader.File}:{node.Start.Line}";
        if (!seen.TryAdd(id, here))
        {
            reader.Error(node, $"duplicate policy id '{id}': it is already used at {seen[id]}; ids must be unique across all policy files.");
            return null;
        }

        return id;
    }

    private static PolicyEffect? ReadEffect(PolicyYamlReader reader, YamlNode node) =>
        reader.Scalar(node, "'effect'") switch
        {
            "permit" => PolicyEffect.Permit,
            "forbid" => PolicyEffect.Forbid,
            null => null,
            var other => Invalid<PolicyEffect>(reader, node, $"'effect' must be permit or forbid; got '{other}'."),
        };

    private static PolicyMode? ReadMode(PolicyYamlReader reader, YamlNode node) =>
        reader.Scalar(node, "'mode'") switch
        {
            "enforce" => PolicyMode.Enforce,
            "shadow" => PolicyMode.Shadow,
            null => null,
            var other => Invalid<PolicyMode>(reader, node, $"'mode' must be enforce or shadow; got '{other}'."),
        };

    private static T? Invalid<T>(PolicyYamlReader reader, YamlNode node, string message)
        where T : struct
    {
        reader.Error(node, message);
        return null;
    }

    private PolicyCondition? ReadCondition(PolicyYamlReader reader, YamlNode value)
    {
        if (reader.Scalar(value, "'when'") is not { } source)
        {
            return null;
        }

        var problems = new List<ConditionCompiler.Problem>();
        var condition = _conditions.Compile(source, problems);
        foreach (var problem in problems)
        {
            var (line, column) = ConditionPosition.Map(reader, (YamlScalarNode)value, problem.Line, problem.Column);
            reader.Error(line, column, $"in 'when': {problem.Message}");
        }

        return condition;
    }
}
