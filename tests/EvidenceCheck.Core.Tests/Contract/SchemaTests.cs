using System.Reflection;
using EvidenceCheck.Core.Contract;
using Newtonsoft.Json.Linq;

namespace EvidenceCheck.Core.Tests.Contract;

/// <summary>Keeps samples/report.schema.json in step with the contract types: same fields, same kinds, same required fields.</summary>
public class SchemaTests
{
    private static readonly JObject Schema = JObject.Parse(File.ReadAllText(TestFiles.Samples("report.schema.json")));

    public static TheoryData<string, string> ContractTypes() => new()
    {
        { nameof(Report), "#" }, { nameof(Account), "account" }, { nameof(ReporterSession), "reporterSession" },
        { nameof(Subject), "subject" }, { nameof(Meeting), "meeting" }, { nameof(Participant), "participant" },
        { nameof(ChatMessage), "chatMessage" }, { nameof(Claims), "claims" }, { nameof(Evidence), "evidence" },
    };

    [Theory]
    [MemberData(nameof(ContractTypes))]
    public void Schema_HasExactlyTheFieldsOfTheType(string typeName, string definition)
    {
        var type = typeof(Report).Assembly.GetType($"EvidenceCheck.Core.Contract.{typeName}")!;
        var node = definition == "#" ? Schema : (JObject)Schema["$defs"]![definition]!;
        var schemaFields = ((JObject)node["properties"]!).Properties().Select(p => p.Name).Order().ToArray();
        var typeFields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => Camel(p.Name)).Order().ToArray();
        Assert.Equal(typeFields, schemaFields);

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var kinds = Kinds((JObject)node["properties"]![Camel(property.Name)]!);
            Assert.True(kinds.Contains(ExpectedKind(property.PropertyType)),
                $"{typeName}.{property.Name}: schema allows [{string.Join(",", kinds)}], type is {property.PropertyType.Name}");
        }
    }

    [Fact]
    public void Schema_RequiresWhatTheReaderRequires()
    {
        Assert.Equal(["receivedAt", "reportId"], Schema["required"]!.Values<string>().Order());
        Assert.Equal(["accountId"], Schema["$defs"]!["account"]!["required"]!.Values<string>());
        Assert.Equal(["meetingId"], Schema["$defs"]!["meeting"]!["required"]!.Values<string>());
        Assert.Equal(["accountId"], Schema["$defs"]!["participant"]!["required"]!.Values<string>());
        // And the reader agrees: an empty object misses exactly those two.
        Assert.Equal(["receivedAt", "reportId"], ReportReader.Parse("{}").Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void Schema_VocabulariesMatchTheValidator()
    {
        Assert.Equal(Vocabulary.Channels, Enum(Schema["properties"]!["channel"]!));
        Assert.Equal(Vocabulary.Categories, Enum(Schema["properties"]!["category"]!));
        Assert.Equal(Vocabulary.SubjectKinds, Enum(Schema["$defs"]!["subject"]!["properties"]!["kind"]!));
        Assert.Equal(Vocabulary.EvidenceKinds, Enum(Schema["$defs"]!["evidence"]!["properties"]!["kind"]!));
    }

    private static string[] Enum(JToken node) => node["enum"]!.Values<string?>().Where(v => v is not null).Select(v => v!).ToArray();

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string ExpectedKind(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string)) return "string";
        if (t == typeof(int) || t == typeof(long)) return "integer";
        if (t == typeof(bool)) return "boolean";
        if (t == typeof(DateTimeOffset)) return "timestamp";
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>)) return "array";
        return "object";
    }

    /// <summary>The kinds a schema node allows, following $ref, anyOf and enum.</summary>
    private static HashSet<string> Kinds(JObject node)
    {
        var kinds = new HashSet<string>();
        if (node["$ref"] is { } reference)
        {
            var name = ((string)reference!).Split('/').Last();
            if (name == "timestamp") { kinds.Add("timestamp"); return kinds; }
            kinds.UnionWith(Kinds((JObject)Schema["$defs"]![name]!));
        }
        foreach (var option in node["anyOf"]?.Children<JObject>() ?? []) kinds.UnionWith(Kinds(option));
        if (node["type"] is JValue single) kinds.Add((string)single!);
        if (node["type"] is JArray many) kinds.UnionWith(many.Values<string>().Select(v => v!));
        if (node["enum"] is not null) kinds.Add("string");
        return kinds;
    }
}
