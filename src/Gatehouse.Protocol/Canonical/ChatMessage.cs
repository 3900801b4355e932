namespace Gatehouse.Protocol.Canonical;

/// <summary>One message of the canonical conversation.</summary>
public sealed class ChatMessage
{
    /// <summary>Creates a message.</summary>
    public ChatMessage(Role role, List<ContentPart> parts)
    {
        Role = role;
        Parts = parts;
    }

    /// <summary>Who wrote it.</summary>
    public Role Role { get; }

    /// <summary>The content, in order.</summary>
    public List<ContentPart> Parts { get; }

    /// <summary>The OpenAI participant name, if given.</summary>
    public string? Name { get; init; }

    /// <summary>Whether an OpenAI system message was sent as <c>developer</c>.</summary>
    public bool IsDeveloper { get; init; }
}
