using Gatehouse.Inspection.Normalization;
using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Pii;

/// <summary>
/// Finds personal data with vectorized anchor searches (digits, <c>@</c>, <c>:</c>, birth words), source-generated
/// candidate patterns run only on the short window around each anchor, and validation in code (Luhn, issuer ranges
/// and card groupings, SSA rules, IBAN length and mod-97, IP parsing, phone shape, date-of-birth context).
/// Scans the original text so spans need no mapping; only custom dictionary terms are matched on folded text.
/// </summary>
public sealed class PiiDetector : ITextDetector
{
    private readonly PiiOptions _options;
    private readonly PhraseMatcher? _dictionary;
    private readonly string[] _dictionaryTypes = [];
    private readonly NumberScanner _numbers;

    /// <summary>Creates a detector; null options detect every built-in type.</summary>
    public PiiDetector(PiiOptions? options = null)
    {
        _options = options ?? new PiiOptions();
        _numbers = new NumberScanner(Enabled(PiiTypes.CreditCard), Enabled(PiiTypes.UsSsn), Enabled(PiiTypes.Iban), Enabled(PiiTypes.IpV4), Enabled(PiiTypes.Phone));
        if (_options.Dictionary is { Count: > 0 } dictionary)
        {
            var terms = new List<string>(dictionary.Count);
            var types = new List<string>(dictionary.Count);
            foreach (var (term, type) in dictionary)
            {
                terms.Add(term);
                types.Add(type);
            }

            _dictionary = new PhraseMatcher(terms);
            _dictionaryTypes = [.. types];
        }
    }

    /// <inheritdoc />
    public string Name => DetectorNames.Pii;

    /// <inheritdoc />
    public void Detect(ReadOnlySpan<char> text, List<Detection> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (Enabled(PiiTypes.Email))
        {
            DetectEmails(text, results);
        }

        if (text.IndexOfAnyInRange('0', '9') >= 0)
        {
            // Dates of birth first: a phone-shaped date right after "born" is the date, not a phone.
            if (Enabled(PiiTypes.DateOfBirth))
            {
                DetectDatesOfBirth(text, results);
            }

            _numbers.Scan(text, results);
        }

        if (Enabled(PiiTypes.IpV6))
        {
            DetectIpV6(text, results);
        }

        if (_dictionary is not null)
        {
            DetectDictionary(text, results);
        }
    }

    private bool Enabled(string type) => _options.Types is null || _options.Types.Contains(type);

    // Local part at most 64 characters before the '@', domain at most 8 labels of 63 and a TLD of 24 after it.
    private static void DetectEmails(ReadOnlySpan<char> text, List<Detection> results)
    {
        var from = 0;
        while (from < text.Length)
        {
            var at = text[from..].IndexOf('@');
            if (at < 0)
            {
                return;
            }

            at += from;
            var start = Math.Max(from, at - 64);
            var end = Math.Min(text.Length, at + 1 + 540);
            var domain = text[(at + 1)..end].IndexOfAnyExcept(Windows.DomainChars);
            end = domain < 0 ? end : at + 1 + domain;
            for (var next = start; EmailPattern.Next(text, next, end, out var length) is >= 0 and var index; next = index + length)
            {
                results.Add(new Detection(DetectorNames.Pii, PiiTypes.Email, index, length, 0.95));
            }

            from = Math.Max(at + 1, end);
        }
    }

    // The pattern starts at the birth word ("date of birth" up to 20 characters before "birth") and the date ends
    // within 60 characters of it.
    private static void DetectDatesOfBirth(ReadOnlySpan<char> text, List<Detection> results)
    {
        var last = 0;
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOfAny(Windows.BirthWords);
            if (found < 0)
            {
                return;
            }

            var word = from + found;
            var start = Math.Max(last, word - 20);
            var end = Math.Min(text.Length, word + 80);
            foreach (var match in Windows.Matches(PiiPatterns.DateOfBirth(), text, start, end))
            {
                var span = text.Slice(match.Index, match.Length);
                foreach (var prefix in PiiPatterns.DateOfBirthPrefix().EnumerateMatches(span))
                {
                    results.Add(new Detection(DetectorNames.Pii, PiiTypes.DateOfBirth, match.Index + prefix.Length, match.Length - prefix.Length, 0.9));
                    break;
                }

                last = match.Index + match.Length;
            }

            from = word + 1;
        }
    }

    // Each ':' with hex digits around it: the window is the run of hex digits, ':' and '.' (embedded IPv4).
    private static void DetectIpV6(ReadOnlySpan<char> text, List<Detection> results)
    {
        var from = 0;
        while (from < text.Length)
        {
            var colon = text[from..].IndexOf(':');
            if (colon < 0)
            {
                return;
            }

            // Scalar walks: the window is a handful of characters.
            colon += from;
            var start = colon;
            while (start > from && IsIpV6Char(text[start - 1]))
            {
                start--;
            }

            var colons = 1;
            var end = colon + 1;
            for (; end < text.Length && IsIpV6Char(text[end]); end++)
            {
                colons += text[end] == ':' ? 1 : 0;
            }

            if (colons >= 2 && end - start >= 6)
            {
                for (var next = start; IpV6Pattern.Next(text, next, end, out var length) is >= 0 and var index; next = index + length)
                {
                    if (IpAddresses.IsIpV6(text.Slice(index, length)))
                    {
                        results.Add(new Detection(DetectorNames.Pii, PiiTypes.IpV6, index, length, 0.85));
                    }
                }
            }

            from = end + 1;
        }
    }

    private static bool IsIpV6Char(char c) => char.IsAsciiHexDigit(c) || c is ':' or '.';

    private void DetectDictionary(ReadOnlySpan<char> text, List<Detection> results)
    {
        var normalized = TextNormalizer.Normalize(text);
        var hits = new List<PhraseHit>();
        _dictionary!.FindAll(normalized.Text, hits);
        foreach (var hit in hits)
        {
            var (start, length) = normalized.ToOriginalSpan(hit.Start, hit.Length);
            results.Add(new Detection(DetectorNames.Pii, _dictionaryTypes[hit.Entry], start, length, _options.DictionaryConfidence, "dictionary"));
        }
    }
}
