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
        var quoteWords = Normalise(quote).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (quoteWords.Length == 0) return null;
        var speaker = context.Report.Claims.SpeakerAccountId;
        Contract.ChatMessage? best = null;
        var bestShare = 0.0;
        foreach (var message in chat)
        {
            if (message?.Text is not { Length: > 0 } text) continue;
            var words = " " + Normalise(text) + " ";
            var found = 0;
            foreach (var w in quoteWords)
                if (words.Contains(" " + w + " ", StringComparison.Ordinal)) found++;
            var share = found / (double)quoteWords.Length;
            if (share > bestShare || (share == bestShare && share > 0 && message.AccountId == speaker)) { best = message; bestShare = share; }
        }
        if (best is null || bestShare < FoundShare)
            return new Signal(1.0, Math.Round(bestShare, 2), "ratio", $"The quoted words do not appear in the meeting's chat log ({chat.Count} messages).");
        var at = best.SentAt is { } t ? $" at {Describe.Time(t)}" : "";
        if (speaker is not null && best.AccountId != speaker)
            return new Signal(0.5, Math.Round(bestShare, 2), "ratio",
                $"The quote appears in the chat{at}, but from {best.AccountId}, not the claimed speaker {speaker}.");
        return new Signal(-0.8, Math.Round(bestShare, 2), "ratio", $"The quote appears in the chat log from {best.AccountId}{at}.");
    }

    /// <summary>Lower-case words separated by single spaces: punctuation and case do not hide a quote.</summary>
    private static string Normalise(string text)
    {
        Span<char> buffer = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        var n = 0;
        var space = true;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) { buffer[n++] = char.ToLowerInvariant(c); space = false; }
            else if (!space) { buffer[n++] = ' '; space = true; }
        }
        if (n > 0 && buffer[n - 1] == ' ') n--;
        return new string(buffer[..n]);
    }
}
