using System.Text.RegularExpressions;

namespace Gatehouse.Inspection.Pii;

/// <summary>
/// Candidate patterns of the PII detector; every candidate is validated in code before it counts. <see cref="Email"/>,
/// <see cref="Phone"/>, <see cref="Card"/>, <see cref="SsnSeparated"/>, <see cref="Iban"/>, <see cref="IpV4"/> and
/// <see cref="IpV6"/> are run by code of the same meaning (<see cref="ICandidatePattern"/>; tests check that both find
/// the same) and stay here as their definition. The ones still run as regexes (SSN context, date of birth) see at most
/// about 100 characters a call, so they run without a match timeout, which costs two clock reads per call.
/// </summary>
internal static partial class PiiPatterns
{
    private const int TimeoutMs = 1000;

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])", RegexOptions.None, TimeoutMs)]
    internal static partial Regex Email();

    [GeneratedRegex(@"(?<![\w+/.#-])(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}(?![\w/-]|[.:]\d)", RegexOptions.None, TimeoutMs)]
    internal static partial Regex Phone();

    [GeneratedRegex(@"(?<![\d.+#-])\d(?:[ -]?\d){11,18}(?!\d|[.-]\d)", RegexOptions.None, TimeoutMs)]
    internal static partial Regex Card();

    [GeneratedRegex(@"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?!\d|-\d)", RegexOptions.None, TimeoutMs)]
    internal static partial Regex SsnSeparated();

    // What comes right before nine bare digits that are an SSN: "SSN", "social security number", "ss#", then ":", "#", "is" or "=".
    [GeneratedRegex(@"\b(?:ssn|social security(?: number| no\.?)?|ss#)\s{0,3}(?:#|:|is|=)?\s{0,3}$", RegexOptions.IgnoreCase, Timeout.Infinite)]
    internal static partial Regex SsnContextBefore();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])", RegexOptions.None, TimeoutMs)]
    internal static partial Regex Iban();

    [GeneratedRegex(@"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)", RegexOptions.None, TimeoutMs)]
    internal static partial Regex IpV4();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])", RegexOptions.None, TimeoutMs)]
    internal static partial Regex IpV6();

    private const string Month = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\\.?";

    private const string DobPrefix = @"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s?date|born(?:\s+on)?|birthday)\s{0,3}[:=\-]?\s{0,3}(?:is\s+|was\s+|on\s+)?";

    [GeneratedRegex("^" + DobPrefix, RegexOptions.IgnoreCase, Timeout.Infinite)]
    internal static partial Regex DateOfBirthPrefix();

    [GeneratedRegex(DobPrefix + @"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + Month + @",?\s+\d{4}|" + Month + @"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})(?!\d)", RegexOptions.IgnoreCase, Timeout.Infinite)]
    internal static partial Regex DateOfBirth();

    [GeneratedRegex(@"\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me)\b", RegexOptions.IgnoreCase, TimeoutMs)]
    internal static partial Regex PhoneContext();
}
