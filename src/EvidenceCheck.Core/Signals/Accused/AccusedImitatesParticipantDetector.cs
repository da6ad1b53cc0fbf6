using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Core.Signals.Accused;

/// <summary>
/// Whether an accused account imitates an established person in the meeting — same or
/// look-alike name or mailbox as the host or a long-standing participant, but a different and
/// newer account. This is the seed's "fake profile in the victim's name", made to look like the
/// victim supported terrorism. When the imitated person is the reporter, the report is the
/// victim's own complaint about an impersonator, and points the other way.
/// </summary>
[Signal("accused.imitatesParticipant", SignalFamily.Accused, Weight = 2.5)]
public sealed class AccusedImitatesParticipantDetector : ISignalDetector
{
    /// <summary>Folded-name similarity from which two names are "the same" to a reader (e.g. "Wang Dan" vs "Wang  Dan." or "Wang Dаn" with a Cyrillic а).</summary>
    private const double SameName = 0.85;
    private const double EstablishedDays = 180;

    public Signal? Detect(ReportContext context)
    {
        if (context.Accused.Count == 0) return null;
        var people = KnownPeople(context);
        if (people.Count == 0) return null;
        foreach (var accused in context.Accused)
        {
            // An account with years of history that shares a common name is a namesake, not a fake profile.
            if (context.AgeAtReport(accused) is { TotalDays: > EstablishedDays }) continue;
            var accusedName = FoldOrEmpty(accused.DisplayName);
            var accusedMailbox = FoldOrEmpty(NameSimilarity.Mailbox(accused.Email));
            foreach (var (person, role) in people)
            {
                if (person.AccountId == accused.AccountId) continue;
                var nameScore = NameSimilarity.FoldedSimilarity(accusedName, FoldOrEmpty(person.DisplayName));
                var mailScore = NameSimilarity.FoldedSimilarity(accusedMailbox, FoldOrEmpty(NameSimilarity.Mailbox(person.Email)));
                var score = Math.Max(nameScore, mailScore);
                if (score < SameName) continue;
                // The imitation must be the newer account: an old account sharing a common name is not a fake profile.
                if (accused.CreatedAt is { } a && person.CreatedAt is { } p && a <= p) continue;
                var what = nameScore >= mailScore ? $"the name \"{accused.DisplayName}\"" : $"the mailbox \"{NameSimilarity.Mailbox(accused.Email)}\"";
                var age = context.AgeAtReport(accused) is { } ag ? $", created {Describe.Duration(ag)} before the report," : "";
                if (person.AccountId == context.Reporter?.AccountId)
                    return new Signal(-0.6, Math.Round(score, 2), "similarity",
                        $"The accused account {accused.AccountId}{age} uses {what}, imitating the reporter themself: this reads as a victim reporting an impersonator.");
                return new Signal(1.0, Math.Round(score, 2), "similarity",
                    $"The accused account {accused.AccountId}{age} uses {what}, imitating {role} {Describe.Account(person)}.");
            }
        }
        return new Signal(0, 0, "similarity", "No accused account imitates the name of the host or a participant.");
    }

    private static string FoldOrEmpty(string? name) => string.IsNullOrWhiteSpace(name) ? "" : NameSimilarity.Fold(name);

    /// <summary>The people an impersonator would imitate: the host and the meeting's participants, with account records where the report has them.</summary>
    private static List<(Account Person, string Role)> KnownPeople(ReportContext context)
    {
        var people = new List<(Account, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var accusedIds = context.Accused.Select(a => a.AccountId).ToHashSet(StringComparer.Ordinal);
        var hostId = context.Meeting?.HostAccountId;
        if (context.Reporter is { } reporter && seen.Add(reporter.AccountId))
            people.Add((reporter, reporter.AccountId == hostId ? "the meeting's host" : "the reporter"));
        foreach (var p in context.Meeting?.Participants ?? [])
        {
            if (p is null || accusedIds.Contains(p.AccountId) || !seen.Add(p.AccountId)) continue;
            people.Add((new Account { AccountId = p.AccountId, DisplayName = p.DisplayName },
                p.AccountId == hostId ? "the meeting's host" : "participant"));
        }
        return people;
    }
}
