namespace Gatehouse.Inspection.Pii;

/// <summary>The Luhn (mod 10) check used by payment card numbers.</summary>
public static class Luhn
{
    /// <summary>True when the ASCII digits in <paramref name="digits"/> pass the Luhn check.</summary>
    public static bool IsValid(ReadOnlySpan<char> digits) => digits.Length > 1 && Sum(digits, doubleLast: false) is >= 0 and var sum && sum % 10 == 0;

    /// <summary>The digit that makes <paramref name="payload"/> followed by it pass the check (for generating test numbers).</summary>
    public static char CheckDigit(ReadOnlySpan<char> payload) => (char)('0' + ((10 - (Sum(payload, doubleLast: true) % 10)) % 10));

    // Sum of the digits from the right, every second one doubled (digit sum); -1 when a character is not a digit.
    private static int Sum(ReadOnlySpan<char> digits, bool doubleLast)
    {
        var sum = 0;
        var doubleIt = doubleLast;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if ((uint)d > 9)
            {
                return -1;
            }

            if (doubleIt)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum;
    }
}
