using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Gatehouse.Inspection.Normalization;

/// <summary>
/// Finds base64, hex and URL-encoded runs in text and decodes those that turn out to be readable text,
/// so that detectors can scan what an attacker tried to hide. Binary payloads are ignored.
/// </summary>
public static partial class EmbeddedPayloadDecoder
{
    /// <summary>Shortest encoded run worth decoding.</summary>
    public const int MinimumRunLength = 16;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Appends every readable payload in <paramref name="text"/> to <paramref name="results"/>; returns how many.</summary>
    public static int Decode(string text, List<DecodedPayload> results)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(results);
        var before = results.Count;
        if (text.Length < MinimumRunLength)
        {
            return 0;
        }

        foreach (var match in Base64Run().EnumerateMatches(text))
        {
            var run = text.AsSpan(match.Index, match.Length);
            if (IsAllHex(run.TrimEnd('=')))
            {
                continue; // decoded below as hex
            }

            if (TryBase64(run, out var decoded))
            {
                results.Add(new DecodedPayload(match.Index, match.Length, PayloadEncoding.Base64, decoded));
            }
        }

        foreach (var match in HexRun().EnumerateMatches(text))
        {
            if (TryHex(text.AsSpan(match.Index, match.Length), out var decoded))
            {
                results.Add(new DecodedPayload(match.Index, match.Length, PayloadEncoding.Hex, decoded));
            }
        }

        if (text.Contains('%', StringComparison.Ordinal))
        {
            foreach (var match in UrlRun().EnumerateMatches(text))
            {
                var decoded = Uri.UnescapeDataString(text.AsSpan(match.Index, match.Length));
                if (IsReadable(decoded))
                {
                    results.Add(new DecodedPayload(match.Index, match.Length, PayloadEncoding.Url, decoded));
                }
            }
        }

        return results.Count - before;
    }

    private static bool TryBase64(ReadOnlySpan<char> run, out string decoded)
    {
        decoded = string.Empty;
        Span<char> normalized = run.Length <= 1024 ? stackalloc char[run.Length + 3] : new char[run.Length + 3];
        var length = 0;
        foreach (var c in run)
        {
            normalized[length++] = c switch { '-' => '+', '_' => '/', _ => c };
        }

        var trimmed = normalized[..length].TrimEnd('=');
        length = trimmed.Length;
        while (length % 4 != 0)
        {
            normalized[length++] = '=';
        }

        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!Convert.TryFromBase64Chars(normalized[..length], bytes, out var written))
            {
                return false;
            }

            return TryText(bytes.AsSpan(0, written), out decoded);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool TryHex(ReadOnlySpan<char> run, out string decoded)
    {
        decoded = string.Empty;
        Span<char> digits = run.Length <= 1024 ? stackalloc char[run.Length] : new char[run.Length];
        var count = 0;
        for (var i = 0; i < run.Length; i++)
        {
            var c = run[i];
            if ((c is 'x' or 'X') && i > 0 && run[i - 1] == '0' && count > 0)
            {
                count--; // "0x" prefix: drop the zero
                continue;
            }

            if (char.IsAsciiHexDigit(c))
            {
                digits[count++] = c;
            }
        }

        if (count % 2 != 0 || count < MinimumRunLength)
        {
            return false;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(count / 2);
        try
        {
            var status = Convert.FromHexString(digits[..count], bytes, out _, out var written);
            return status == OperationStatus.Done && TryText(bytes.AsSpan(0, written), out decoded);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool TryText(ReadOnlySpan<byte> bytes, out string text)
    {
        text = string.Empty;
        if (bytes.Length < 4 || !Utf8.IsValid(bytes))
        {
            return false;
        }

        text = StrictUtf8.GetString(bytes);
        return IsReadable(text);
    }

    // Mostly letters, digits, punctuation and spaces, with at least one space or several letters: i.e. prose or commands.
    private static bool IsReadable(string text)
    {
        var printable = 0;
        var letters = 0;
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t' || (c >= ' ' && c != '\x7f' && !char.IsControl(c)))
            {
                printable++;
            }

            if (char.IsLetter(c))
            {
                letters++;
            }
        }

        return printable >= text.Length * 0.95 && letters >= text.Length * 0.5 && letters >= 4;
    }

    private static bool IsAllHex(ReadOnlySpan<char> run) => !run.ContainsAnyExcept(HexDigits);

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    [GeneratedRegex(@"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])", RegexOptions.None, 1000)]
    private static partial Regex Base64Run();

    [GeneratedRegex(@"(?<![0-9A-Za-z\\])(?:(?:\\x|0x)?[0-9A-Fa-f]{2}[ :]?){8,}(?![0-9A-Za-z])", RegexOptions.None, 1000)]
    private static partial Regex HexRun();

    [GeneratedRegex(@"(?:[^\s%]{0,40}%[0-9A-Fa-f]{2}){3,}[^\s%]{0,40}", RegexOptions.None, 1000)]
    private static partial Regex UrlRun();
}
