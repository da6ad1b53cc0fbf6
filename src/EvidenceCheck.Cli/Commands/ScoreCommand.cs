using System.Diagnostics;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using Spectre.Console;

namespace EvidenceCheck.Cli.Commands;

/// <summary>
/// score: reads reports as JSON Lines (a file or stdin) and writes one score per report, in input
/// order, streaming. Bad lines go to stderr with their number and the JSON path of the problem.
/// </summary>
internal sealed class ScoreCommand : ICliCommand
{
    public string Name => "score";
    public string Summary => "Score reports (JSON Lines) for signs of fabrication.";
    public string Usage => """
        Usage: evidencecheck score [FILE|-] [options]

        Reads reports in the v1 contract, one JSON object per line, from FILE or standard input,
        and writes one score object per report to standard output, as JSON Lines, in input order.
        Lines that are not valid reports are reported on standard error with their line number
        and the JSON path of the problem; the other lines are still scored.

        Campaign signals compare each report with the ones before it in the file, as the service
        does with its store. When a report makes a campaign visible, the earlier members are
        scored again and written again: a later line for the same reportId supersedes an earlier one.

        Options:
          --explain             a readable verdict and reasons per report instead of JSON
          --config FILE         scoring options (JSON; see README, "Configuration")
          --model FILE          a trained model (default: the shipped model, samples/model),
                                averaged with the rules (Scoring:RulesShare in --config)
          --rules               the documented rule-based combination alone
          --dkim-keys FOLDER    DKIM public keys (SELECTOR._domainkey.DOMAIN.pub) to verify
                                signed emails; without it signatures are "unknown", never "forged"
          --max-line-chars N    longest accepted line (default 33554432)
          --no-campaigns        score each report alone (no cross-report signals; memory stays flat
                                however long the input)
          --no-progress         no progress lines on standard error
        Exit codes: 0 all lines scored, 1 some lines failed, 2 usage or I/O error.
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var a = new ArgReader(args);
        var explain = a.Flag("--explain");
        var noProgress = a.Flag("--no-progress");
        var noCampaigns = a.Flag("--no-campaigns");
        var options = ScorerSetup.LoadOptions(a.Option("--config"));
        var dkimKeys = a.Option("--dkim-keys");
        var modelPath = a.Option("--model");
        var rules = a.Flag("--rules");
        if (rules && modelPath is not null) throw new UsageException("give --model or --rules, not both");
        var maxLine = a.IntOption("--max-line-chars", JsonLinesReader.DefaultMaxLineChars, 2, int.MaxValue);
        var files = a.Positionals();
        if (files.Count > 1) throw new UsageException("give one input file (or - for standard input)");
        var path = files.Count == 1 ? files[0] : "-";

        var scorer = ScorerSetup.Create(options, TimeProvider.System, dkimKeys, ScorerSetup.LoadModel(modelPath, rules));
        using var input = path == "-" ? null : OpenInput(path);
        var reader = input ?? io.In;
        var console = explain ? ExplainView.Console(io.Out, io.OutIsTerminal) : null;
        var progress = new ProgressLine(io.Error, io.ErrorIsTerminal, enabled: !noProgress);
        var parser = new ReportReader();
        var campaigns = noCampaigns ? null : new InMemoryCampaignIndex(options);
        int scored = 0, failed = 0;

        foreach (var line in JsonLinesReader.Read(reader, maxLine))
        {
            cancel.ThrowIfCancellationRequested();
            if (line.Error is not null)
            {
                failed++;
                await io.Error.WriteLineAsync($"line {line.Number}: {line.Error}");
                continue;
            }
            var parse = parser.Read(line.Text!);
            if (!parse.Ok)
            {
                failed++;
                foreach (var error in parse.Errors)
                    await io.Error.WriteLineAsync($"line {line.Number}: {error}");
                continue;
            }
            var report = parse.Report!;
            var evidence = scorer.Inspect(report);
            // The facts are what re-scoring needs; the campaign index need not hold the files themselves.
            foreach (var item in report.Evidence ?? []) item.ContentBase64 = null;
            var seen = campaigns?.Observe(report, evidence);
            await Write(report, scorer.Score(report, seen?.Context, evidence), rescored: false);
            scored++;
            if (seen is not null)
                foreach (var again in campaigns!.Rescore(seen))
                    await Write(again.Report, scorer.Score(again.Report, again.Context, again.Evidence), rescored: true);
            progress.Tick(scored, failed);
        }
        progress.Done(scored, failed);

        async Task Write(Report report, ScoreResult result, bool rescored)
        {
            if (console is not null) ExplainView.Write(console, report, result, rescored);
            else
            {
                ScoreJson.Write(io.Out, result);
                await io.Out.WriteAsync('\n');
            }
        }
        await io.Out.FlushAsync(cancel);
        return failed > 0 ? 1 : 0;
    }

    private static StreamReader OpenInput(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"input file '{path}' not found");
        return new StreamReader(path, Utf8Text.Marking, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
    }
}

/// <summary>Progress on stderr every two seconds: overwritten in place on a terminal, one line each otherwise.</summary>
internal sealed class ProgressLine(TextWriter error, bool terminal, bool enabled)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _next = TimeSpan.FromSeconds(2);
    private bool _shown;

    public void Tick(int scored, int failed)
    {
        if (!enabled || (scored & 1023) != 0 || _clock.Elapsed < _next) return;
        _next = _clock.Elapsed + TimeSpan.FromSeconds(2);
        _shown = true;
        var text = $"scored {scored:N0} reports, {failed:N0} failed ({scored / _clock.Elapsed.TotalSeconds:N0}/s)";
        if (terminal) error.Write("\r" + text);
        else error.WriteLine(text);
    }

    public void Done(int scored, int failed)
    {
        if (!enabled || !_shown) return;
        var text = $"scored {scored:N0} reports, {failed:N0} failed in {_clock.Elapsed.TotalSeconds:N1} s";
        if (terminal) error.WriteLine("\r" + text);
        else error.WriteLine(text);
    }
}

/// <summary>The --explain view: a verdict line and the reasons, for a person.</summary>
internal static class ExplainView
{
    public static IAnsiConsole Console(TextWriter output, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        // Piped into a file or a pager, a reason stays on one line.
        if (!terminal) console.Profile.Width = 240;
        return console;
    }

    public static void Write(IAnsiConsole console, Report report, ScoreResult result, bool rescored = false)
    {
        var color = result.Level switch { "high" => "red", "medium" => "yellow", _ => "green" };
        var verdict = (result.Flagged ? "FLAGGED for review" : "not flagged") + (rescored ? $"  (scored again: campaign {result.Campaign?.CampaignId} grew)" : "");
        console.MarkupLine($"[bold]{Markup.Escape(result.ReportId)}[/]  [{color}]{result.Level.ToUpperInvariant()} {result.Score:0.00}[/]  {verdict}");
        var what = $"{report.Category ?? "uncategorised"} report against {report.Subject?.Kind ?? "an unknown subject"} {report.Subject?.Meeting?.MeetingId ?? ""}".TrimEnd();
        console.MarkupLine($"  [grey]{Markup.Escape(what)}, received {report.ReceivedAt:yyyy-MM-dd HH:mm zzz}, model {Markup.Escape(result.ModelVersion)}[/]");
        if (result.Reasons.Count == 0) console.MarkupLine("  [grey]No signal moved the score.[/]");
        foreach (var reason in result.Reasons)
        {
            var sign = reason.Contribution >= 0 ? "[red]+" : "[green]";
            console.MarkupLine($"  {sign}{reason.Contribution:0.00}[/]  [bold]{Markup.Escape(reason.Signal),-30}[/] {Markup.Escape(reason.Detail)}");
        }
        if (result.Campaign is { } c)
            console.MarkupLine($"  Campaign {Markup.Escape(c.CampaignId)}: {c.Reports} reports from {c.Reporters} reporters, linked by {Markup.Escape(string.Join(", ", c.Links))}");
        console.WriteLine();
    }
}
