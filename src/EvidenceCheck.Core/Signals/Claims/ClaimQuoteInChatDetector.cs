namespace EvidenceCheck.Core.Signals.Claims;

/// <summary>
/// Whether the quoted words appear in the meeting's chat log. Found from the claimed speaker, the
/// claim is corroborated by the platform's own record; absent from a chat log that exists, the
/// quote may still have been spoken aloud — so absence is only moderate.
/// </summary>
[Signal("claims.quoteInChat", SignalFamily.Claims, Weight = 1.0)]
public sealed class ClaimQuoteInChatDetector : ISignalDetector
{
    /// <summary>Share of the quote's words that must appear in one message for it to count as found (allows paraphrase slack).</summary>
    private const double FoundShare = 0.8;

    public Signal? Detect(ReportContext context)
    {
        if (context.Report.Claims?.Quote is not { Length: > 0 } quote || context.Meeting?.Chat is not { Count: > 0 } chat) return null;
        var quoteWords = Words(quote);
        if (quoteWords.Count == 0) return null;
        var speaker = context.Report.Claims.SpeakerAccountId;
        Contract.ChatMessage? best = null;
        var bestShare = 0.0;
        foreach (var message in chat)
        {
            if (message?.Text is not { Length: > 0 } text) continue;
            var words = Words(text);
            var share = quoteWords.Count(words.Contains) / (double)quoteWords.Count;
            if (share > bestShare || (share == bestShare && message.AccountId == speaker)) { best = message; bestShare = share; }
        }
        if (best is null || bestShare < FoundShare)
            return new Signal(1.0, Math.Round(bestShare, 2), "ratio", $"The quoted words do not appear in the meeting's chat log ({chat.Count} messages).");
        var at = best.SentAt is { } t ? $" at {Describe.Time(t)}" : "";
        if (speaker is not null && best.AccountId != speaker)
            return new Signal(0.5, Math.Round(bestShare, 2), "ratio",
                $"The quote appears in the chat{at}, but from {best.AccountId}, not the claimed speaker {speaker}.");
        return new Signal(-0.8, Math.Round(bestShare, 2), "ratio", $"The quote appears in the chat log from {best.AccountId}{at}.");
    }

    private static HashSet<string> Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant())
            .Where(w => w.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
}
