namespace Gatehouse.Governance.Policies;

/// <summary>The kinds of entity a policy talks about: principals (who) and resources (what).</summary>
public enum EntityType
{
    /// <summary>An organization: the top of the principal hierarchy.</summary>
    Org,

    /// <summary>A team inside an organization.</summary>
    Team,

    /// <summary>A person.</summary>
    User,

    /// <summary>An autonomous agent, bound to a key and optionally to a parent user.</summary>
    Agent,

    /// <summary>A virtual API key.</summary>
    Key,

    /// <summary>A model, named as clients ask for it (for example <c>openai/gpt-4o</c> or an alias).</summary>
    Model,

    /// <summary>A named group of models.</summary>
    ModelGroup,

    /// <summary>An upstream provider (for example <c>openai</c>).</summary>
    Provider,

    /// <summary>A tool an MCP server offers.</summary>
    Tool,

    /// <summary>An MCP server the gateway federates.</summary>
    McpServer,
}
