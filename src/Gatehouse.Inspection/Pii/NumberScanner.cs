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

            var run = Measure(text, digit);
            var end = run.End;
            if (ibans && digit >= 2 && IsIbanStart(text, digit))
            {
                FindIban(text, digit - 2, results, ref ibanShape);
            }

            if (run.Digits >= 4)
            {
                ScanRun(text, start, end, run, results, first, ibanShape);
            }

            from = end + 1;
        }
    }

    private void ScanRun(ReadOnlySpan<char> text, int start, int end, Run run, List<Detection> results, int first, (int Start, int End) ibanShape)
    {
        // A run inside an IBAN-shaped value holds no other finding: every candidate in it would overlap that shape.
        if (ibanShape.Start <= start && end <= ibanShape.End)
        {
            return;
        }

        var digits = run.Digits;
        var runFindings = results.Count;
        if (cards && digits >= 12)
        {
            Add<CardPattern>(text, start, end, PiiTypes.CreditCard, static (_, _, c) => PiiScores.Card(c), results, ibanShape);
        }

        if (ssns && digits >= 9)
        {
            if (run.Spaced)
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

        if (ipv4 && run.Dots >= 3)
        {
            Add<IpV4Pattern>(text, start, end, PiiTypes.IpV4, static (t, i, c) => PiiScores.IpV4(t, i, c), results, ibanShape);
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

                // The context words are looked for only when they would change the score.
                var confidence = PhoneNumbers.Score(text.Slice(index, length), out var withContext);
                if (withContext != confidence && PiiScores.HasPhoneContext(text, index))
                {
                    confidence = withContext;
                }

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

    // The longest IBAN is 34 characters, 43 when written in groups of four: only a candidate that starts at the
    // country code and ends in those 43 counts.
    private static void FindIban(ReadOnlySpan<char> text, int start, List<Detection> results, ref (int Start, int End) shape)
    {
        var end = Math.Min(text.Length, start + 43);
        var matchEnd = IbanPattern.MatchAt(text[..Math.Min(text.Length, end + 2)], start);
        if (matchEnd < 0 || matchEnd > end)
        {
            return;
        }

        shape = (start, matchEnd);
        if (PiiScores.Iban(text[start..matchEnd]) is > 0 and var confidence)
        {
            results.Add(new Detection(DetectorNames.Pii, PiiTypes.Iban, start, matchEnd - start, confidence));
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

    // The run of digits and the separators phones, cards, SSNs and addresses use (" .-()/+") from the digit at
    // `digit`, up to its last digit, in one pass: runs are short, and one scalar loop costs less here than three
    // vectorized searches.
    private static Run Measure(ReadOnlySpan<char> text, int digit)
    {
        var run = new Run { End = digit };
        var dots = 0;
        var spaced = false;
        for (var i = digit; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                run.Digits++;
                run.End = i + 1;
                run.Dots = dots;
                run.Spaced = spaced;
            }
            else if (c == '.')
            {
                dots++;
            }
            else if (c is ' ' or '-')
            {
                spaced = true;
            }
            else if (c is not ('(' or ')' or '/' or '+'))
            {
                break;
            }
        }

        return run;
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

    // A run of digits and separators: where it ends (after its last digit), its digits, the dots and whether a space
    // or dash comes between them.
    private struct Run
    {
        public int End;
        public int Digits;
        public int Dots;
        public bool Spaced;
    }
}
