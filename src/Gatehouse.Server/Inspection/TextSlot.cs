using Gatehouse.Inspection.Injection;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Server.Inspection;

/// <summary>A piece of the canonical request or answer that a guardrail reads and may rewrite: a text part or a tool call's arguments.</summary>
/// <param name="Part">The <see cref="TextPart"/> or <see cref="ToolCallPart"/>.</param>
/// <param name="Stage">The stage it belongs to.</param>
/// <param name="Mode">Direct, or indirect for tool results.</param>
public readonly record struct TextSlot(ContentPart Part, GuardrailStage Stage, InjectionMode Mode)
{
    /// <summary>The text (arguments JSON for a tool call).</summary>
    public string Text
    {
        get => Part is ToolCallPart call ? call.ArgumentsJson : ((TextPart)Part).Text;
        set
        {
            if (Part is ToolCallPart call)
            {
                call.ArgumentsJson = value;
            }
            else
            {
                ((TextPart)Part).Text = value;
            }
        }
    }

    /// <summary>The tool name, for a tool call.</summary>
    public string? ToolName => (Part as ToolCallPart)?.Name;

    /// <summary>User and system text (direct) and tool results (indirect) of a request.</summary>
    public static List<TextSlot> FromRequest(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var slots = new List<TextSlot>();
        foreach (var message in request.Messages)
        {
            foreach (var part in message.Parts)
            {
                if (part is TextPart && message.Role is Role.User or Role.System)
                {
                    slots.Add(new TextSlot(part, GuardrailStage.Input, InjectionMode.Direct));
                }
                else if (part is ToolResultPart result)
                {
                    foreach (var inner in result.Content)
                    {
                        if (inner is TextPart)
                        {
                            slots.Add(new TextSlot(inner, GuardrailStage.ToolResults, InjectionMode.Indirect));
                        }
                    }
                }
            }
        }

        return slots;
    }

    /// <summary>The answer's text (output) and tool calls.</summary>
    public static List<TextSlot> FromResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var slots = new List<TextSlot>();
        foreach (var part in response.Parts)
        {
            if (part is TextPart)
            {
                slots.Add(new TextSlot(part, GuardrailStage.Output, InjectionMode.Direct));
            }
            else if (part is ToolCallPart)
            {
                slots.Add(new TextSlot(part, GuardrailStage.ToolCalls, InjectionMode.Direct));
            }
        }

        return slots;
    }
}
