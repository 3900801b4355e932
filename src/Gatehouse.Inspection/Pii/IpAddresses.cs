using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Inspection.Pii;

/// <summary>Validation of IPv4 and IPv6 candidates by parsing.</summary>
public static class IpAddresses
{
    /// <summary>True when <paramref name="candidate"/> is a dotted-quad IPv4 address with octets 0–255 and no leading zeros.</summary>
    public static bool IsIpV4(ReadOnlySpan<char> candidate)
    {
        var parts = 0;
        foreach (var range in candidate.Split('.'))
        {
            var part = candidate[range];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !int.TryParse(part, out var value) || value > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4 && IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetwork;
    }

    /// <summary>True when <paramref name="candidate"/> parses as IPv6 and has at least five hex digits (so <c>a::b</c> or <c>::</c> in code do not count).</summary>
    public static bool IsIpV6(ReadOnlySpan<char> candidate)
    {
        var hexDigits = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiHexDigit(c))
            {
                hexDigits++;
            }
        }

        return hexDigits >= 5 && IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }
}
