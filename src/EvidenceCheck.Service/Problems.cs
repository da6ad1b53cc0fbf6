using EvidenceCheck.Core.Contract;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceCheck.Service;

/// <summary>RFC 9457 problem details, the one shape every error of this API has.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);

    /// <summary>400 naming the JSON path of every problem in the report.</summary>
    public static ProblemHttpResult InvalidReport(IReadOnlyList<ContractError> errors) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The report is not acceptable",
            detail: string.Join("; ", errors.Take(5).Select(e => e.ToString())),
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(ToError).ToArray() });

    public static object ToError(ContractError e) => new { path = e.Path, message = e.Message, line = e.Line, position = e.Position };

    public static ProblemHttpResult TooLarge(long limit) =>
        Status(StatusCodes.Status413PayloadTooLarge, "The request body is too large", $"The limit is {limit:N0} bytes.");

    public static ProblemHttpResult NotFound(string what) => Status(StatusCodes.Status404NotFound, $"No such {what}");
}
