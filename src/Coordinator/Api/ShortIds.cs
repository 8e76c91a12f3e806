using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SweepRunner.Storage.Ids;

namespace SweepRunner.Coordinator.Api;

/// <summary>The id a short id stands for (<c>GET /api/sweeps/resolve/{prefix}</c>, <c>GET /api/trials/resolve/{prefix}</c>).</summary>
public sealed record ResolvedId(Guid Id);

/// <summary>
/// Short ids, as git and docker take the start of a hash: the one sweep or trial whose id starts with a prefix, or the
/// problem that says why there is not one — 400 for text that is not an id's start, 404 when no id starts so, 409
/// when several do (<c>candidates</c> lists them, up to <see cref="IdPrefixMatch.MaxShown"/>).
/// </summary>
internal static class ShortIds
{
    public static async Task<Results<Ok<ResolvedId>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResolveAsync(
        string what, string prefix, Func<IdPrefix, int, CancellationToken, Task<IReadOnlyList<Guid>>> find, CancellationToken cancellationToken)
    {
        if (!IdPrefix.TryParse(prefix, out var parsed)) return ApiProblems.BadRequest($"{prefix} is not {IdPrefix.Expected}");
        var match = await IdPrefixMatch.FindAsync(parsed, find, cancellationToken);
        if (match.Unique is { } id) return TypedResults.Ok(new ResolvedId(id));
        if (match.Ids.Count == 0) return TypedResults.NotFound(new ProblemDetails { Title = "not found", Status = StatusCodes.Status404NotFound, Detail = match.Problem(what) });
        return TypedResults.Conflict(new ProblemDetails
        {
            Title = "ambiguous id",
            Status = StatusCodes.Status409Conflict,
            Detail = match.Problem(what),
            Extensions = { ["candidates"] = match.Ids },
        });
    }
}
