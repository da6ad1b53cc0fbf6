using EvidenceCheck.Core.Contract;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceCheck.Service;

/// <summary>RFC 9457 problem details, the one shape every error of this API has.</summary>
public static partial class Problems
{
    /// <summary>
    /// ASP.NET's message for a value that did not bind, in the field's terms: <c>Failed to bind parameter "Nullable&lt;int&gt;
    /// page" from "abc".</c> becomes <c>page: "abc" is not a whole number</c>. Other messages pass as they are.
    /// </summary>
    public static string Binding(string message)
    {
        if (BindFailure().Match(message) is not { Success: true } m) return message;
        var expected = m.Groups["type"].Value switch
        {
            "int" or "long" or "Int32" or "Int64" => "a whole number",
            "double" or "decimal" or "Double" => "a number",
            "bool" or "Boolean" => "true or false",
            var other => $"a {other}",
        };
        return $"{m.Groups["name"].Value}: \"{m.Groups["value"].Value}\" is not {expected}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:Nullable<)?(?<type>\\w+)>? (?<name>\\w+)\" from \"(?<value>.*)\"\\.?$")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

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
