namespace Gatehouse.Inspection.Pii;

/// <summary>The <see cref="Detection.Type"/> values the PII detector produces (custom dictionaries add their own).</summary>
public static class PiiTypes
{
    /// <summary>An email address.</summary>
    public const string Email = "email";

    /// <summary>A phone number (E.164, international or national with separators).</summary>
    public const string Phone = "phone";

    /// <summary>A payment card number that passes Luhn and belongs to a known issuer range.</summary>
    public const string CreditCard = "credit_card";

    /// <summary>A US social security number that obeys the SSA validity rules.</summary>
    public const string UsSsn = "us_ssn";

    /// <summary>An IBAN with the right length for its country and a valid mod-97 check.</summary>
    public const string Iban = "iban";

    /// <summary>An IPv4 address.</summary>
    public const string IpV4 = "ipv4";

    /// <summary>An IPv6 address.</summary>
    public const string IpV6 = "ipv6";

    /// <summary>A date next to "DOB", "born on", "date of birth" and the like.</summary>
    public const string DateOfBirth = "date_of_birth";
}
