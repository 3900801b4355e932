using System.Text;

namespace Gatehouse.Protocol.Canonical;

/// <summary>Extracts text from content parts.</summary>
public static class CanonicalText
{
    /// <summary>Concatenates the text parts, separated by newlines when there are several.</summary>
    public static string Join(IReadOnlyList<ContentPart> parts)
    {
        if (parts.Count == 1 && parts[0] is TextPart only)
        {
            return only.Text;
        }

        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is TextPart text)
            {
                if (builder.Length > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(text.Text);
            }
        }

        return builder.ToString();
    }
}
