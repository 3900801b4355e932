using Gatehouse.Inspection.Injection;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Inspection;

/// <summary>What one check looks at: a text (or a tool call) from one stage of an exchange.</summary>
/// <param name="Exchange">The request it belongs to (model, caller, snapshot).</param>
/// <param name="Stage">The stage the content comes from.</param>
/// <param name="Text">The text to check; for tool calls, the arguments JSON.</param>
/// <param name="Mode">Direct for user text and answers, indirect for tool results.</param>
/// <param name="ToolName">The tool's name, for tool calls.</param>
/// <param name="RequestSchema">The request's json_schema, if it asked for structured output.</param>
public readonly record struct GuardrailSubject(Exchange Exchange, GuardrailStage Stage, string Text, InjectionMode Mode, string? ToolName = null, string? RequestSchema = null);
