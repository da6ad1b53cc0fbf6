using EvidenceCheck.Cli.Commands;
using Newtonsoft.Json.Linq;

namespace EvidenceCheck.Cli.Tests;

public class InspectCommandTests
{
    /// <summary>The real files of the Forensics tests (crafted with exiftool, or real messages), read in place.</summary>
    private static string Evidence(string name) => Path.Combine(EvidenceCheck.Testing.RepositoryRoot.Folder, "tests", "EvidenceCheck.Forensics.Tests", "Files", name);

    /// <summary>Times stay as written: the point is to see what inspect printed.</summary>
    private static JObject Parse(string line) =>
        (JObject)JToken.ReadFrom(new Newtonsoft.Json.JsonTextReader(new StringReader(line)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None });

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.RunAsync(args, new CliIo(new StringReader(""), output, error, ErrorIsTerminal: false), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Inspect_Files_WritesOneCamelCaseObjectPerFile()
    {
        var (exit, output, _) = await Run("inspect", "--dkim-keys", Evidence("dkim-keys"), Evidence("photo-hongkong.jpg"), Evidence("gmail.msg"));

        Assert.Equal(0, exit);
        var facts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToArray();
        Assert.Equal(2, facts.Length);
        Assert.Equal("2020-06-03T22:10:00", (string)facts[0]["capturedLocal"]!);
        Assert.Equal("iPhone 8", (string)facts[0]["model"]!);
        Assert.Equal("file", (string)facts[0]["source"]!);
        Assert.Equal("pass", (string)facts[1]["dkimResult"]!);
    }

    [Fact]
    public async Task Inspect_UnreadableFile_ExitsOneAndSaysWhy()
    {
        var (exit, output, _) = await Run("inspect", Evidence("photo-resaved.jpg"), Evidence("no-such-file.png"));
        Assert.Equal(1, exit);
        var last = Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.False((bool)last["readable"]!);
        Assert.Equal("no such file", (string)last["unreadableReason"]!);
    }

    [Fact]
    public async Task Inspect_Explain_PrintsReadableFacts()
    {
        var (exit, output, _) = await Run("inspect", "--explain", Evidence("forged.eml"));
        Assert.Equal(0, exit);
        Assert.Contains("Authentication-Results (untrusted)", output, StringComparison.Ordinal);
        Assert.Contains("unknown: No public key on file", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--max-bytes", "lots", "x.png")]
    [InlineData("--frobnicate", "x.png")]
    public async Task Inspect_UsageMistake_ExitsTwo(params string[] args)
    {
        var (exit, _, error) = await Run(["inspect", .. args]);
        Assert.Equal(2, exit);
        Assert.Contains("Usage: evidencecheck inspect", error, StringComparison.Ordinal);
    }
}
