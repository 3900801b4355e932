using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

        DecodeBase64Runs(text, results);
        DecodeHexRuns(text, results);

        if (text.Contains('%', StringComparison.Ordinal))
        {
            DecodeUrlRuns(text, results);
        }

        return results.Count - before;
    }

    // What the pattern (?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-]) matches, found without a
    // regex attempt at every position: a maximal run of the alphabet of 16 or more, not after '=', then at most two
    // '=' and a character outside the alphabet and '='. Such a run holds a whole aligned block of 8 characters, so
    // only blocks that are all alphabet (one vector test each; prose has few) are widened to their run.
    private static void DecodeBase64Runs(string text, List<DecodedPayload> results)
    {
        var span = text.AsSpan();
        for (var block = NextBlock(span, 0, Base64Class); block >= 0; block = NextBlock(span, block, Base64Class))
        {
            var (start, end) = Widen(span, block, Base64Class);
            if (end - start >= MinimumRunLength)
            {
                TryBase64Run(span, start, end, results);
            }

            block = end;
        }
    }

    private static void TryBase64Run(ReadOnlySpan<char> span, int start, int end, List<DecodedPayload> results)
    {
        if (start > 0 && span[start - 1] == '=')
        {
            return;
        }

        var padding = 0;
        while (end + padding < span.Length && span[end + padding] == '=' && padding < 3)
        {
            padding++;
        }

        var next = end + padding;
        if (padding > 2 || (next < span.Length && (IsClass(span[next], Base64Class) || span[next] == '=')))
        {
            return;
        }

        var run = span[start..next];
        if (IsAllHex(run.TrimEnd('=')))
        {
            return; // decoded below as hex
        }

        if (TryBase64(run, out var decoded))
        {
            results.Add(new DecodedPayload(start, next - start, PayloadEncoding.Base64, decoded));
        }
    }

    // The hex pattern runs only on stretches of hex digits, spaces, colons, backslashes and x that hold 16+ hex digits:
    // every match of eight or more pairs lies in one, and each such stretch holds a whole aligned block of 8.
    private static void DecodeHexRuns(string text, List<DecodedPayload> results)
    {
        var span = text.AsSpan();
        for (var block = NextBlock(span, 0, HexStretchClass); block >= 0; block = NextBlock(span, block, HexStretchClass))
        {
            var (start, end) = Widen(span, block, HexStretchClass);
            if (end - start >= MinimumRunLength && CountHexDigits(span[start..end]) >= MinimumRunLength)
            {
                foreach (var match in HexRun().EnumerateMatches(span[..Math.Min(span.Length, end + 1)], start))
                {
                    if (TryHex(span.Slice(match.Index, match.Length), out var decoded))
                    {
                        results.Add(new DecodedPayload(match.Index, match.Length, PayloadEncoding.Hex, decoded));
                    }
                }
            }

            block = end;
        }
    }

    // The start of the first aligned block of 8 characters at or after from (rounded up to a block) whose characters
    // are all of the class, or -1.
    private static int NextBlock(ReadOnlySpan<char> span, int from, byte @class)
    {
        ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(span));
        for (var i = (from + 7) & ~7; i + 8 <= span.Length; i += 8)
        {
            if (Vector128.IsHardwareAccelerated)
            {
                if (AllOfClass(Vector128.LoadUnsafe(ref chars, (nuint)i), @class))
                {
                    return i;
                }
            }
            else if (!span.Slice(i, 8).ContainsAnyExcept(@class == Base64Class ? Base64Alphabet : HexStretch))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AllOfClass(Vector128<ushort> v, byte @class)
    {
        var lower = v | Vector128.Create((ushort)0x20);
        var digit = Vector128.LessThan(v - Vector128.Create((ushort)'0'), Vector128.Create((ushort)10));
        Vector128<ushort> member;
        if (@class == Base64Class)
        {
            member = digit | Vector128.LessThan(lower - Vector128.Create((ushort)'a'), Vector128.Create((ushort)26))
                | Vector128.Equals(v, Vector128.Create((ushort)'+')) | Vector128.Equals(v, Vector128.Create((ushort)'/'))
                | Vector128.Equals(v, Vector128.Create((ushort)'_')) | Vector128.Equals(v, Vector128.Create((ushort)'-'));
        }
        else
        {
            member = digit | Vector128.LessThan(lower - Vector128.Create((ushort)'a'), Vector128.Create((ushort)6))
                | Vector128.Equals(lower, Vector128.Create((ushort)'x')) | Vector128.Equals(v, Vector128.Create((ushort)' '))
                | Vector128.Equals(v, Vector128.Create((ushort)':')) | Vector128.Equals(v, Vector128.Create((ushort)'\\'));
        }

        return member == Vector128<ushort>.AllBitsSet;
    }

    // The maximal run of the class around the block at index.
    private static (int Start, int End) Widen(ReadOnlySpan<char> span, int index, byte @class)
    {
        var start = index;
        while (start > 0 && IsClass(span[start - 1], @class))
        {
            start--;
        }

        var end = index + 8;
        while (end < span.Length && IsClass(span[end], @class))
        {
            end++;
        }

        return (start, end);
    }

    private static int CountHexDigits(ReadOnlySpan<char> stretch)
    {
        var count = 0;
        foreach (var c in stretch)
        {
            count += char.IsAsciiHexDigit(c) ? 1 : 0;
        }

        return count;
    }

    private static readonly SearchValues<char> Base64Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-");
    private static readonly SearchValues<char> HexStretch = SearchValues.Create("0123456789ABCDEFabcdef :\\xX");

    private const byte Base64Class = 1, HexStretchClass = 2;

    // Character classes of ASCII: the base64 alphabet (both variants), the characters of a hex stretch, hex digits.
    private static ReadOnlySpan<byte> Classes => [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2, 0, 0, 0, 0, 0,
        0, 7, 7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 0, 2, 0, 0, 1,
        0, 7, 7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 0, 0, 0, 0, 0,
    ];

    private static bool IsClass(char c, byte @class) => c < 0x80 && (Classes[c] & @class) != 0;

    // The percent pattern needs three "%XX" escapes, each at most 40 characters (no space, no other '%') after the
    // previous one; it runs only on such clusters (it would otherwise try 40 characters at every position).
    private static void DecodeUrlRuns(string text, List<DecodedPayload> results)
    {
        var span = text.AsSpan();
        int first = -1, last = -1, count = 0, matchedTo = 0;
        for (var at = span.IndexOf('%'); ; at = NextPercent(span, at))
        {
            var isEscape = at >= 0 && at + 2 < span.Length && char.IsAsciiHexDigit(span[at + 1]) && char.IsAsciiHexDigit(span[at + 2]);
            var chains = isEscape && count > 0 && at - last - 3 <= 40 && at >= last + 3 && !HasWhiteSpace(span[(last + 3)..at]);
            if (!chains && count > 0)
            {
                if (count >= 3)
                {
                    var end = Math.Min(span.Length, last + 3 + 40);
                    foreach (var match in UrlRun().EnumerateMatches(span[..Math.Min(span.Length, end + 1)], Math.Max(matchedTo, first - 40)))
                    {
                        var decoded = Uri.UnescapeDataString(span.Slice(match.Index, match.Length));
                        if (IsReadable(decoded))
                        {
                            results.Add(new DecodedPayload(match.Index, match.Length, PayloadEncoding.Url, decoded));
                        }

                        matchedTo = match.Index + match.Length;
                    }
                }

                count = 0;
            }

            if (at < 0)
            {
                return;
            }

            if (isEscape)
            {
                first = count == 0 ? at : first;
                last = at;
                count++;
            }
        }
    }

    private static int NextPercent(ReadOnlySpan<char> span, int at)
    {
        var next = span[(at + 1)..].IndexOf('%');
        return next < 0 ? -1 : at + 1 + next;
    }

    private static bool HasWhiteSpace(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
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

    [GeneratedRegex(@"(?<![0-9A-Za-z\\])(?:(?:\\x|0x)?[0-9A-Fa-f]{2}[ :]?){8,}(?![0-9A-Za-z])", RegexOptions.None, 1000)]
    private static partial Regex HexRun();

    [GeneratedRegex(@"(?:[^\s%]{0,40}%[0-9A-Fa-f]{2}){3,}[^\s%]{0,40}", RegexOptions.None, 1000)]
    private static partial Regex UrlRun();
}
