using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EvidenceCheck.Service.Reviewer;

/// <summary>A masked value: where it is in the document, what kind of personal data, and what the reviewer sees instead.</summary>
public sealed record MaskedValue(string Path, string Kind, string Shown);

/// <summary>
/// Masks personal data (emails, IP addresses, device ids, GPS positions) of participants and reporters in
/// everything the reviewer endpoints return. The seed's insider harvested exactly these. A masked value keeps
/// what a reviewer needs to judge — an email's domain, an address's /16, and a short tag equal for equal values
/// (so "the accused uses the reporter's device" stays visible) — and the real value takes a reveal with a reason.
/// </summary>
public sealed partial class PiiMasker
{
    private readonly byte[] _tagKey;

    /// <param name="tagKey">Keys the equality tags; random per process, so tags cannot be looked up offline.</param>
    public PiiMasker(byte[] tagKey) => _tagKey = tagKey;

    private static readonly Dictionary<string, string> KindByField = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email", ["emailFrom"] = "email",
        ["ip"] = "ip", ["signupIp"] = "ip",
        ["deviceId"] = "device", ["deviceIds"] = "device",
        ["gpsLatitude"] = "location", ["gpsLongitude"] = "location",
    };

    /// <summary>Masks the document in place; returns every masked value, each revealable by its path.</summary>
    public IReadOnlyList<MaskedValue> Mask(JsonNode root)
    {
        var devices = new HashSet<string>(StringComparer.Ordinal);
        CollectDevices(root, null, devices);
        var masked = new List<MaskedValue>();
        Walk(root, "", null, devices.OrderByDescending(d => d.Length).ToArray(), masked);
        return masked;
    }

    /// <summary>True when the path names a value <see cref="Mask"/> would hide (only those may be revealed).</summary>
    public bool IsPersonal(JsonNode root, string path)
    {
        var copy = root.DeepClone();
        return Mask(copy).Any(m => m.Path == path);
    }

    /// <summary>The value at a path like <c>report.subject.meeting.participants[3].ip</c>, or null.</summary>
    public static JsonNode? At(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (Match m in PathStep().Matches(path))
        {
            if (node is null) return null;
            if (m.Groups["name"].Success) node = node is JsonObject o && o.TryGetPropertyValue(m.Groups["name"].Value, out var next) ? next : null;
            else node = node is JsonArray a && int.TryParse(m.Groups["index"].Value, out var i) && i < a.Count ? a[i] : null;
        }
        return node;
    }

    private void CollectDevices(JsonNode? node, string? field, HashSet<string> devices)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o) CollectDevices(v, k, devices);
                break;
            case JsonArray a:
                foreach (var v in a) CollectDevices(v, field, devices);
                break;
            case JsonValue v when field is not null && KindByField.GetValueOrDefault(field) == "device" && v.TryGetValue<string>(out var s) && s.Length >= 3:
                devices.Add(s);
                break;
        }
    }

    private void Walk(JsonNode? node, string path, string? field, string[] devices, List<MaskedValue> masked)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToArray())
                    Replace(o[key], Join(path, key), key, devices, masked, v => o[key] = v);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    Replace(a[i], $"{path}[{i}]", field, devices, masked, v => a[index] = v);
                }
                break;
        }
    }

    private void Replace(JsonNode? node, string path, string? field, string[] devices, List<MaskedValue> masked, Action<JsonNode?> set)
    {
        if (node is JsonObject or JsonArray)
        {
            Walk(node, path, field, devices, masked);
            return;
        }
        if (node is not JsonValue value) return;
        var kind = field is null ? null : KindByField.GetValueOrDefault(field);
        if (kind is not null)
        {
            var raw = value.TryGetValue<string>(out var str) ? str : value.ToJsonString();
            var shown = kind switch
            {
                "email" => MaskEmail(raw),
                "ip" => MaskIp(raw),
                "device" => "device " + Tag(raw),
                _ => "hidden " + Tag(raw),
            };
            masked.Add(new MaskedValue(path, kind, shown));
            set(JsonValue.Create(shown));
            return;
        }
        if (!value.TryGetValue<string>(out var text) || text.Length < 3) return;
        var result = EmailPattern().Replace(text, m => MaskEmail(m.Value));
        result = Ipv4Pattern().Replace(result, m => MaskIp(m.Value));
        foreach (var d in devices) result = result.Replace(d, "device " + Tag(d), StringComparison.Ordinal);
        if (result == text) return;
        masked.Add(new MaskedValue(path, "text", result));
        set(JsonValue.Create(result));
    }

    private string MaskEmail(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0) return "email " + Tag(email);
        return $"{email[0]}•••{email[at..]} {Tag(email)}";
    }

    private string MaskIp(string ip)
    {
        var m = Ipv4Pattern().Match(ip);
        if (m.Success && m.Length == ip.Length) return $"{m.Groups[1].Value}.{m.Groups[2].Value}.•.• {Tag(ip)}";
        var colon = ip.IndexOf(':');
        return colon > 0 ? $"{ip[..colon]}:•••• {Tag(ip)}" : "address " + Tag(ip);
    }

    private string Tag(string value) =>
        "#" + Convert.ToHexStringLower(HMACSHA256.HashData(_tagKey, Encoding.UTF8.GetBytes(value)))[..4];

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\d.])(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(?![\d.])")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}
