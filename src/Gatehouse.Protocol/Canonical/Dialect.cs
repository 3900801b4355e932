namespace Gatehouse.Protocol.Canonical;

/// <summary>A wire format spoken by clients or providers.</summary>
public enum Dialect
{
    /// <summary>OpenAI Chat Completions.</summary>
    OpenAiChat,

    /// <summary>Anthropic Messages.</summary>
    AnthropicMessages,

    /// <summary>Google Gemini generateContent.</summary>
    Gemini,

    /// <summary>AWS Bedrock Converse.</summary>
    BedrockConverse,
}
