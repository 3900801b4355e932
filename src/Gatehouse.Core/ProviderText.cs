using System.Text.RegularExpressions;

namespace Gatehouse.Core;

/// <summary>Makes text a provider wrote (an error message) safe to pass on: credential-like tokens masked, length capped.</summary>
public static partial class ProviderText
{
    /// <summary>The longest provider message passed on; longer ones are cut with an ellipsis.</summary>
    public const int MaxLength = 400;

    /// <summary>Masks anything that looks like a credential and caps the length; null stays null.</summary>
    public static string? Sanitize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var masked = SecretLike().Replace(text, "[redacted]");
        return masked.Length <= MaxLength ? masked : masked[..MaxLength] + "…";
    }

    /// <summary>The same error with its message sanitized (the same instance when nothing changed).</summary>
    public static GatewayError Sanitize(GatewayError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = Sanitize(error.Message)!;
        return ReferenceEquals(message, error.Message) || message == error.Message ? error : error.WithMessage(message);
    }

    [GeneratedRegex(@"((?<![A-Za-z0-9])sk-[A-Za-z0-9_\-*]{6,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|Bearer\s+\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretLike();
}
