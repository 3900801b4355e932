using System.Text.RegularExpressions;
using Gatehouse.Inspection.Normalization;
using Gatehouse.Inspection.Text;

namespace Gatehouse.Inspection.Pii;

/// <summary>
/// Finds personal data with cheap prefilters, source-generated candidate patterns, and validation in code
/// (Luhn and issuer ranges, SSA rules, IBAN length and mod-97, IP parsing, phone shape, date-of-birth context).
/// Scans the original text so spans need no mapping; only custom dictionary terms are matched on folded text.
/// </summary>
public sealed class PiiDetector : ITextDetector
{
    private readonly PiiOptions _options;
    private readonly PhraseMatcher? _dictionary;
    private readonly string[] _dictionaryTypes = [];

    /// <summary>Creates a detector; null options detect every built-in type.</summary>
    public PiiDetector(PiiOptions? options = null)
    {
        _options = options ?? new PiiOptions();
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
        if (text.Contains('@') && Enabled(PiiTypes.Email))
        {
            Add(text, PiiPatterns.Email(), PiiTypes.Email, static (_, _) => 0.95, results);
        }

        if (text.IndexOfAnyInRange('0', '9') >= 0)
        {
            DetectNumbers(text, results);
        }

        if (text.Contains(':') && Enabled(PiiTypes.IpV6))
        {
            Add(text, PiiPatterns.IpV6(), PiiTypes.IpV6, static (_, c) => IpAddresses.IsIpV6(c) ? 0.85 : 0, results);
        }

        if (_dictionary is not null)
        {
            DetectDictionary(text, results);
        }
    }

    private void DetectNumbers(ReadOnlySpan<char> text, List<Detection> results)
    {
        if (Enabled(PiiTypes.CreditCard))
        {
            Add(text, PiiPatterns.Card(), PiiTypes.CreditCard, static (_, c) => CardScore(c), results);
        }

        if (Enabled(PiiTypes.UsSsn))
        {
            Add(text, PiiPatterns.SsnSeparated(), PiiTypes.UsSsn, static (_, c) => SsnScore(c, 0.85), results);
            if (text.Contains("ss", StringComparison.OrdinalIgnoreCase) || text.Contains("social", StringComparison.OrdinalIgnoreCase))
            {
                Add(text, PiiPatterns.SsnInContext(), PiiTypes.UsSsn, static (_, c) => SsnScore(c, 0.9), results);
            }
        }

        if (Enabled(PiiTypes.Iban))
        {
            Add(text, PiiPatterns.Iban(), PiiTypes.Iban, static (_, c) => IbanScore(c), results);
        }

        if (text.Contains('.') && Enabled(PiiTypes.IpV4))
        {
            Add(text, PiiPatterns.IpV4(), PiiTypes.IpV4, static (t, c) => IpV4Score(t, c), results);
        }

        if (Enabled(PiiTypes.DateOfBirth) && HasBirthWord(text))
        {
            DetectDatesOfBirth(text, results);
        }

        if (Enabled(PiiTypes.Phone))
        {
            Add(text, PiiPatterns.Phone(), PiiTypes.Phone, static (t, c) => PhoneNumbers.Score(c, HasPhoneContext(t, c)), results);
        }
    }

    private static bool HasBirthWord(ReadOnlySpan<char> text) =>
        text.Contains("birth", StringComparison.OrdinalIgnoreCase) || text.Contains("born", StringComparison.OrdinalIgnoreCase)
        || text.Contains("dob", StringComparison.OrdinalIgnoreCase) || text.Contains("d.o.b", StringComparison.OrdinalIgnoreCase);

    // The match covers "DOB: 1985-03-12"; the anchored prefix pattern tells where the date itself starts.
    private static void DetectDatesOfBirth(ReadOnlySpan<char> text, List<Detection> results)
    {
        foreach (var match in PiiPatterns.DateOfBirth().EnumerateMatches(text))
        {
            var span = text.Slice(match.Index, match.Length);
            foreach (var prefix in PiiPatterns.DateOfBirthPrefix().EnumerateMatches(span))
            {
                results.Add(new Detection(DetectorNames.Pii, PiiTypes.DateOfBirth, match.Index + prefix.Length, match.Length - prefix.Length, 0.9));
                break;
            }
        }
    }

    private bool Enabled(string type) => _options.Types is null || _options.Types.Contains(type);

    private delegate double Scorer(Context context, ReadOnlySpan<char> candidate);

    private readonly ref struct Context(ReadOnlySpan<char> text, int start)
    {
        public ReadOnlySpan<char> Text { get; } = text;

        public int Start { get; } = start;
    }

    private static void Add(ReadOnlySpan<char> text, Regex pattern, string type, Scorer score, List<Detection> results)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var confidence = score(new Context(text, match.Index), text.Slice(match.Index, match.Length));
            if (confidence > 0)
            {
                results.Add(new Detection(DetectorNames.Pii, type, match.Index, match.Length, confidence));
            }
        }
    }

    private static double CardScore(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[19];
        var count = 0;
        var separator = '\0';
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return 0;
                }

                digits[count++] = c;
            }
            else if (separator != '\0' && separator != c)
            {
                return 0; // "4111 1111-1111 1111" mixes separators: not how cards are written
            }
            else
            {
                separator = c;
            }
        }

        var number = digits[..count];
        if (!Luhn.IsValid(number) || PaymentCards.Network(number) is null || !number.ContainsAnyExcept(number[0]))
        {
            return 0;
        }

        return separator == '\0' ? 0.9 : 0.95;
    }

    private static double SsnScore(ReadOnlySpan<char> candidate, double confidence)
    {
        Span<char> digits = stackalloc char[9];
        var count = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == 9)
                {
                    return 0;
                }

                digits[count++] = c;
            }
        }

        return count == 9 && UsSsn.IsValid(digits) ? confidence : 0;
    }

    private static double IbanScore(ReadOnlySpan<char> candidate)
    {
        Span<char> compact = stackalloc char[40];
        var count = 0;
        foreach (var c in candidate)
        {
            if (c != ' ')
            {
                if (count == compact.Length)
                {
                    return 0;
                }

                compact[count++] = char.ToUpperInvariant(c);
            }
        }

        return Iban.IsValid(compact[..count]) ? 0.95 : 0;
    }

    private static double IpV4Score(Context context, ReadOnlySpan<char> candidate)
    {
        if (!IpAddresses.IsIpV4(candidate))
        {
            return 0;
        }

        // "v1.2.3.4" and "version 10.0.19041.1" are versions, not addresses.
        var before = context.Text[..context.Start].TrimEnd();
        if (before.EndsWith("v", StringComparison.OrdinalIgnoreCase) || before.EndsWith("version", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        return 0.85;
    }

    private static bool HasPhoneContext(Context context, ReadOnlySpan<char> candidate)
    {
        _ = candidate;
        var from = Math.Max(0, context.Start - 24);
        return PiiPatterns.PhoneContext().IsMatch(context.Text[from..context.Start]);
    }

    private void DetectDictionary(ReadOnlySpan<char> text, List<Detection> results)
    {
        var normalized = TextNormalizer.Normalize(text.ToString());
        var hits = new List<PhraseHit>();
        _dictionary!.FindAll(normalized.Text, hits);
        foreach (var hit in hits)
        {
            var (start, length) = normalized.ToOriginalSpan(hit.Start, hit.Length);
            results.Add(new Detection(DetectorNames.Pii, _dictionaryTypes[hit.Entry], start, length, _options.DictionaryConfidence, "dictionary"));
        }
    }
}
