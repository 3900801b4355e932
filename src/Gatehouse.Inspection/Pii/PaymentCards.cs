namespace Gatehouse.Inspection.Pii;

/// <summary>Issuer ranges (IIN) and lengths of the major card networks.</summary>
public static class PaymentCards
{
    /// <summary>The network of a card number by its IIN and length, or null when no known network issues it.</summary>
    public static string? Network(ReadOnlySpan<char> digits)
    {
        var length = digits.Length;
        if (length is < 12 or > 19)
        {
            return null;
        }

        var p2 = Prefix(digits, 2);
        var p3 = Prefix(digits, 3);
        var p4 = Prefix(digits, 4);
        var p6 = Prefix(digits, 6);
        return digits[0] switch
        {
            '4' when length is 13 or 16 or 19 => "visa",
            '5' when p2 is >= 51 and <= 55 && length == 16 => "mastercard",
            '2' when p4 is >= 2221 and <= 2720 && length == 16 => "mastercard",
            '3' when p2 is 34 or 37 && length == 15 => "amex",
            '3' when p4 is >= 3528 and <= 3589 && length is >= 16 and <= 19 => "jcb",
            '3' when (p3 is >= 300 and <= 305 || p2 is 36 or 38 or 39) && length is >= 14 and <= 19 => "diners",
            '6' when (p4 == 6011 || p2 == 65 || p3 is >= 644 and <= 649 || p6 is >= 622126 and <= 622925) && length is >= 16 and <= 19 => "discover",
            '6' when p2 == 62 && length is >= 16 and <= 19 => "unionpay",
            '6' or '5' when length is >= 12 and <= 19 && (p2 is 50 or (>= 56 and <= 69)) => "maestro",
            _ => null,
        };
    }

    private static int Prefix(ReadOnlySpan<char> digits, int count)
    {
        var value = 0;
        for (var i = 0; i < count && i < digits.Length; i++)
        {
            value = (value * 10) + (digits[i] - '0');
        }

        return value;
    }
}
