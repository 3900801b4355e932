namespace Gatehouse.Inspection.Pii;

/// <summary>The Luhn (mod 10) check used by payment card numbers.</summary>
public static class Luhn
{
    /// <summary>True when the ASCII digits in <paramref name="digits"/> pass the Luhn check.</summary>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return digits.Length > 1 && sum % 10 == 0;
    }

    /// <summary>The digit that makes <paramref name="payload"/> followed by it pass the check (for generating test numbers).</summary>
    public static char CheckDigit(ReadOnlySpan<char> payload)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
