using System.Globalization;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Forensics;
using Spectre.Console;

namespace EvidenceCheck.Cli.Commands;

/// <summary>
/// <c>inspect FILE...</c>: what EvidenceCheck reads from evidence files, exactly as the detectors
/// will see it, so a reviewer or engineer can check it against exiftool or a mail client.
/// </summary>
internal sealed class InspectCommand : ICliCommand
{
    public string Name => "inspect";
    public string Summary => "Print the facts EvidenceCheck reads from evidence files (images, emails).";
    public string Usage => """
        Usage: evidencecheck inspect FILE... [--explain] [--dkim-keys DIR] [--max-bytes N] [--time-limit-ms N]

        Reads each file as evidence and prints its normalised facts: one JSON object per line
        (camelCase, the same facts the scorer's detectors read), or a readable view with --explain.

          --explain          readable tables instead of JSON
          --dkim-keys DIR    folder of DKIM public keys (SELECTOR._domainkey.DOMAIN.pub or .txt);
                             without it every DKIM signature is "unknown", never "forged"
          --max-bytes N      files larger than this are not parsed (default 20 MiB)
          --time-limit-ms N  time one file may take to parse (default 2000)

        Exit codes: 0 every file read, 1 some file unreadable, 2 usage error.
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var options = new FileInspectorOptions();
        var explain = false;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--explain": explain = true; break;
                case "--dkim-keys": options.DkimKeyFolder = Value(args, ref i); break;
                case "--max-bytes": options.MaxFileBytes = Number(args, ref i); break;
                case "--time-limit-ms": options.TimeLimit = TimeSpan.FromMilliseconds(Number(args, ref i)); break;
                case var a when a.StartsWith("--", StringComparison.Ordinal): throw new UsageException($"unknown option '{a}'.");
                default: files.Add(args[i]); break;
            }
        }
        if (files.Count == 0) throw new UsageException("no FILE given.");
        if (options.Problems().FirstOrDefault() is { } problem) throw new UsageException(problem);

        var inspector = new FileEvidenceInspector(options);
        var console = explain ? AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(io.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        }) : null;
        var exit = 0;
        for (var i = 0; i < files.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var facts = inspector.InspectFile(files[i], i);
            if (!facts.Readable) exit = 1;
            if (console is null) await io.Out.WriteLineAsync(ContractJson.Serialize(facts));
            else Explain(console, files[i], facts);
        }
        return exit;
    }

    private static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value.");

    private static long Number(string[] args, ref int i)
    {
        var name = args[i];
        return long.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new UsageException($"{name} needs a positive whole number.");
    }

    private static void Explain(IAnsiConsole console, string path, EvidenceFacts f)
    {
        console.Write(new Rule(Markup.Escape(path)) { Justification = Justify.Left });
        var table = new Table().AddColumn("fact").AddColumn("value").Border(TableBorder.Simple);
        void Row(string name, object? value)
        {
            if (value is null) return;
            var text = value switch
            {
                DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " (local, no offset)",
                DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
                TimeSpan o => (o < TimeSpan.Zero ? "-" : "+") + o.ToString(@"hh\:mm", CultureInfo.InvariantCulture),
                bool b => b ? "yes" : "no",
                IEnumerable<DateTimeOffset> times => string.Join(" → ", times.Select(t => t.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))),
                IEnumerable<string> lines => string.Join("\n", lines),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            table.AddRow(Markup.Escape(name), Markup.Escape(text));
        }
        Row("readable", f.Readable);
        Row("unreadable because", f.UnreadableReason);
        Row("type (from bytes)", f.DetectedMediaType);
        Row("size", f.SizeBytes is { } size ? $"{size} bytes" : null);
        Row("sha-256", f.ComputedSha256);
        Row("captured", f.CapturedAt is { } at ? at : f.CapturedLocal);
        Row("digitised", f.DigitizedLocal is { } dl && f.DigitizedOffset is { } dof ? new DateTimeOffset(dl, dof) : f.DigitizedLocal);
        Row("modified", f.ModifiedLocal is { } ml && f.ModifiedOffset is { } mof ? new DateTimeOffset(ml, mof) : f.ModifiedLocal);
        Row("encoded (PNG tIME, UTC)", f.EncodedAt);
        Row("make", f.Make);
        Row("model", f.Model);
        Row("software", f.Software);
        Row("creator tool", f.CreatorTool);
        Row("history", f.History);
        Row("pixels (header)", f.PixelWidth is { } w ? $"{w} x {f.PixelHeight}" : null);
        Row("pixels (EXIF says)", f.ExifWidth is { } ew ? $"{ew} x {f.ExifHeight}" : null);
        Row("thumbnail", f.HasThumbnail is { } th ? (th ? (f.ThumbnailWidth is { } tw ? $"yes, {tw} x {f.ThumbnailHeight}, " : "yes, ") + $"{f.ThumbnailBytes} bytes" : "no") : null);
        Row("GPS", f.GpsLatitude is { } lat ? string.Create(CultureInfo.InvariantCulture, $"{lat}, {f.GpsLongitude}") : null);
        Row("GPS time (UTC)", f.GpsTime);
        Row("screenshot marker", f.ScreenshotMarker);
        Row("metadata stripped", f.MetadataStripped);
        Row("email Date", f.EmailDate);
        Row("From", f.EmailFrom);
        Row("Subject", f.EmailSubject);
        Row("Message-ID domain", f.MessageIdDomain);
        Row("Received (first hop → last)", f.ReceivedTimes);
        Row("DKIM", f.DkimResult is { } r ? $"{r}: {f.DkimDetail}" : null);
        Row("DKIM d= / s=", f.DkimDomain is { } d ? $"{d} / {f.DkimSelector}" : null);
        Row("DKIM t=", f.DkimTimestamp);
        Row("Authentication-Results (untrusted)", f.ClaimedAuthenticationResults);
        Row("notes", f.Notes.Count > 0 ? f.Notes : null);
        console.Write(table);
    }
}
