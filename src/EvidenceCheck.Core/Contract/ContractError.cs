namespace EvidenceCheck.Core.Contract;

/// <summary>One problem with a submitted report: the JSON path of the field and what is wrong with it.</summary>
/// <param name="Path">JSON path inside the report, e.g. <c>subject.meeting.startedAt</c>; empty for the whole report.</param>
/// <param name="Message">What is wrong, in words a caller can act on.</param>
/// <param name="Line">Line inside the parsed text (1-based), when known.</param>
/// <param name="Position">Character position on that line, when known.</param>
public sealed record ContractError(string Path, string Message, int? Line = null, int? Position = null)
{
    public override string ToString() =>
        (Path.Length > 0 ? $"{Path}: {Message}" : Message) + (Position is { } p ? $" (column {p})" : "");
}

/// <summary>Thrown by readers of the contract when a value cannot be accepted; carries a precise message.</summary>
public sealed class ContractException(string message) : Exception(message);
