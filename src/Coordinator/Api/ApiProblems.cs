using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SweepRunner.Coordinator.Api;

/// <summary>The API's error bodies: RFC 9457 problem details whose <c>detail</c> is the message a client prints.</summary>
public static class ApiProblems
{
    public static NotFound<ProblemDetails> NotFound(string what, Guid id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "not found", Status = StatusCodes.Status404NotFound, Detail = $"no {what} {id}" });

    /// <summary>The sweep or trial is not in a state that allows the request (<paramref name="detail"/> says why and what to do).</summary>
    public static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Title = "conflict", Status = StatusCodes.Status409Conflict, Detail = detail });

    public static BadRequest<ProblemDetails> BadRequest(string detail) =>
        TypedResults.BadRequest(new ProblemDetails { Title = "bad request", Status = StatusCodes.Status400BadRequest, Detail = detail });

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "unauthorized");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "forbidden");
}
