using System.Globalization;
using System.Net;

namespace Gatehouse.Server.Config;

/// <summary>A parsed <c>host:port</c> listen address.</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    /// <summary>Whether only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Parses host:port where host is an IP literal, [IPv6], localhost or *.</summary>
    public static bool TryParse(string text, out ListenAddress address)
    {
        address = new ListenAddress(IPAddress.Loopback, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress? ip = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "0.0.0.0" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        if (ip is null)
        {
            return false;
        }

        address = new ListenAddress(ip, port);
        return true;
    }
}
