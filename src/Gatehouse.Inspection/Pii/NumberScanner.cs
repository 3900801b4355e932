namespace Gatehouse.Inspection.Pii;

/// <summary>
/// The number-shaped PII types (cards, SSNs, IBANs, IPv4, phones): one vectorized search for digits, then for each
/// run of digits and separators only the patterns whose minimum digit count the run reaches, on that run alone.
/// A phone candidate that overlaps another finding or an IBAN-shaped run is not reported: it is part of that value.
/// </summary>
internal sealed class NumberScanner(bool cards, bool ssns, bool ibans, bool ipv4, bool phones)
{
    private delegate double Scorer(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> candidate);

    /// <summary>Appends the number-shaped findings of <paramref name="text"/>.</summary>
    public void Scan(ReadOnlySpan<char> text, List<Detection> results)
    {
        var first = results.Count;
        var ibanShape = (Start: 0, End: 0);
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOfAnyInRange('0', '9');
            if (found < 0)
            {
                return;
            }

            var digit = from + found;
            var start = digit;
            while (start > from && text[start - 1] is '+' or '(')
            {
                start--;
            }

            var after = text[digit..].IndexOfAnyExcept(Windows.NumberChars);
            var end = after < 0 ? text.Length : digit + after;
            end = text[..end].LastIndexOfAnyInRange('0', '9') + 1;
            var run = text[digit..end];
            var digits = CountDigits(run);
            if (ibans && digit >= 2 && IsIbanStart(text, digit))
            {
                FindIban(text, digit - 2, results, ref ibanShape);
            }

            if (digits >= 4)
            {
                ScanRun(text, start, end, digits, run, results, first, ibanShape);
            }

            from = end + 1;
        }
    }

    private void ScanRun(ReadOnlySpan<char> text, int start, int end, int digits, ReadOnlySpan<char> run, List<Detection> results, int first, (int Start, int End) ibanShape)
    {
        var runFindings = results.Count;
        if (cards && digits >= 12)
        {
            Add<CardPattern>(text, start, end, PiiTypes.CreditCard, static (_, _, c) => PiiScores.Card(c), results, ibanShape);
        }

        if (ssns && digits >= 9)
        {
            if (run.ContainsAny('-', ' '))
            {
                Add<SsnPattern>(text, start, end, PiiTypes.UsSsn, static (_, _, c) => PiiScores.Ssn(c, 0.85), results, ibanShape);
            }

            // Nine bare digits right after "SSN", "social security number" or "ss#" (the context pattern is anchored
            // at the end of the 40 characters before the run, instead of a lookbehind tried at every digit).
            var digit = start + text[start..end].IndexOfAnyInRange('0', '9');
            if (end - digit >= 9 && !text.Slice(digit, 9).ContainsAnyExceptInRange('0', '9') && (digit + 9 == text.Length || !char.IsAsciiDigit(text[digit + 9]))
                && PiiPatterns.SsnContextBefore().IsMatch(text[Math.Max(0, digit - 40)..digit]) && PiiScores.Ssn(text.Slice(digit, 9), 0.9) is > 0 and var confidence
                && !Inside(ibanShape, digit, 9))
            {
                results.Add(new Detection(DetectorNames.Pii, PiiTypes.UsSsn, digit, 9, confidence));
            }
        }

        if (ipv4 && run.Count('.') >= 3)
        {
            foreach (var match in Windows.Matches(PiiPatterns.IpV4(), text, start, end))
            {
                if (!Inside(ibanShape, match.Index, match.Length) && PiiScores.IpV4(text, match.Index, text.Slice(match.Index, match.Length)) is > 0 and var confidence)
                {
                    results.Add(new Detection(DetectorNames.Pii, PiiTypes.IpV4, match.Index, match.Length, confidence));
                }
            }
        }

        // A run that one finding already covers (a card, an SSN, an address) holds no phone: any candidate would overlap it.
        if (phones && digits >= 8 && !Covers(results, runFindings, start, end))
        {
            var before = results.Count;
            for (var from = start; PhonePattern.Next(text, from, end, out var length) is >= 0 and var index; from = index + length)
            {
                if (Overlaps(results, first, before, index, length) || Inside(ibanShape, index, length))
                {
                    continue;
                }

                var confidence = PhoneNumbers.Score(text.Slice(index, length), PiiScores.HasPhoneContext(text, index));
                if (confidence > 0)
                {
                    results.Add(new Detection(DetectorNames.Pii, PiiTypes.Phone, index, length, confidence));
                }
            }
        }
    }

    // Two letters, two digits, not glued to a word before: "DE89", "GB82 WEST ...".
    private static bool IsIbanStart(ReadOnlySpan<char> text, int digit) =>
        char.IsAsciiLetter(text[digit - 2]) && char.IsAsciiLetter(text[digit - 1]) && digit + 1 < text.Length && char.IsAsciiDigit(text[digit + 1])
        && (digit < 3 || !char.IsAsciiLetterOrDigit(text[digit - 3]));

    // The longest IBAN is 34 characters, 43 when written in groups of four.
    private static void FindIban(ReadOnlySpan<char> text, int start, List<Detection> results, ref (int Start, int End) shape)
    {
        foreach (var match in Windows.Matches(PiiPatterns.Iban(), text, start, Math.Min(text.Length, start + 43)))
        {
            if (match.Index != start)
            {
                return;
            }

            shape = (match.Index, match.Index + match.Length);
            if (PiiScores.Iban(text.Slice(match.Index, match.Length)) is > 0 and var confidence)
            {
                results.Add(new Detection(DetectorNames.Pii, PiiTypes.Iban, match.Index, match.Length, confidence));
            }

            return;
        }
    }

    private static void Add<TPattern>(ReadOnlySpan<char> text, int start, int end, string type, Scorer score, List<Detection> results, (int Start, int End) ibanShape)
        where TPattern : struct, ICandidatePattern
    {
        for (var from = start; TPattern.Next(text, from, end, out var length) is >= 0 and var index; from = index + length)
        {
            if (!Inside(ibanShape, index, length) && score(text, index, text.Slice(index, length)) is > 0 and var confidence)
            {
                results.Add(new Detection(DetectorNames.Pii, type, index, length, confidence));
            }
        }
    }

    private static bool Covers(List<Detection> results, int from, int start, int end)
    {
        var firstDigit = start;
        for (var i = from; i < results.Count; i++)
        {
            if (results[i].Start <= firstDigit + 1 && results[i].End >= end)
            {
                return true;
            }
        }

        return false;
    }

    private static int CountDigits(ReadOnlySpan<char> run)
    {
        var count = 0;
        foreach (var c in run)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return count;
    }

    private static bool Inside((int Start, int End) shape, int start, int length) => start < shape.End && shape.Start < start + length;

    private static bool Overlaps(List<Detection> results, int from, int to, int start, int length)
    {
        for (var i = from; i < to; i++)
        {
            if (results[i].Start < start + length && start < results[i].End)
            {
                return true;
            }
        }

        return false;
    }
}
