using System.Net;
using System.Net.Sockets;

namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// The range an address belongs to for "same network" questions: /24 for IPv4 (one office, one
/// home router, one small hosting block) and /48 for IPv6 (one site's allocation).
/// </summary>
public static class NetworkRange
{
    /// <summary>e.g. <c>203.0.113.0/24</c> or <c>2001:db8:1::/48</c>; null when the text is not an address.</summary>
    public static string? Of(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || !IPAddress.TryParse(address.Trim(), out var ip)) return null;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var bytes = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var prefix = new byte[16];
            Array.Copy(bytes, prefix, 6);
            return new IPAddress(prefix) + "/48";
        }
        return null;
    }
}
