using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// <c>/api/session</c>: a browser's way to present the token once. <c>POST</c> with the token starts a session and
/// sets its cookie, which the API then takes instead of <c>Authorization: Bearer</c>; <c>DELETE</c> ends it; <c>GET</c>
/// says what the server needs, for a web page to know whether to ask for the token.
/// </summary>
/// <remarks>
/// A cookie is sent by the browser with every request to the API, whichever page asks: taking it for changes is safe
/// only because it is <c>SameSite=Strict</c> (not sent with requests that other sites start) and every change also
/// passes <see cref="SameOrigin"/> (no change from a page of another origin).
/// </remarks>
public static class SessionApi
{
    public const string Path = "/api/session";

    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Path).WithTags("Session");
        group.MapGet("/", (HttpRequest request, ApiAccess access) => TypedResults.Ok(new SessionDocument(access.TokenRequiredForReads, access.TokenRequiredForChanges, access.IsAuthenticated(request))))
            .WithSummary("What this server needs (the token for reads, for changes) and whether the caller presents it");
        group.MapPost("/", Start).AddEndpointFilter<SameOriginFilter>()
            .WithSummary("Start a browser session with the token ({\"token\": …}): sets an HttpOnly, SameSite=Strict cookie the API takes instead of the bearer token");
        group.MapDelete("/", End).AddEndpointFilter<SameOriginFilter>().WithSummary("End the caller's session and clear its cookie");
        return group;
    }

    private static Results<NoContent, ProblemHttpResult, Conflict<ProblemDetails>> Start(SessionRequest body, HttpContext context, ApiAccess access)
    {
        if (!access.HasToken)
            return TypedResults.Conflict(new ProblemDetails { Title = "conflict", Status = StatusCodes.Status409Conflict, Detail = "this server has no token (Api:Token): there is nothing to sign in to" });
        if (!access.IsToken(body.Token)) return ApiProblems.Unauthorized("this is not the server's token (Api:Token)");
        context.Response.Cookies.Append(ApiSessions.CookieName, access.Sessions.Start(), CookieFor(context.Request));
        return TypedResults.NoContent();
    }

    private static NoContent End(HttpContext context, ApiAccess access)
    {
        access.Sessions.End(context.Request.Cookies[ApiSessions.CookieName]);
        context.Response.Cookies.Delete(ApiSessions.CookieName, CookieFor(context.Request));
        return TypedResults.NoContent();
    }

    // No Expires: the browser forgets the cookie when its session ends; the server forgets the session after ApiSessions.Lifetime.
    private static CookieOptions CookieFor(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
    };

    /// <summary>Only <see cref="SameOrigin"/>: presenting the token, or ending a session, needs no token.</summary>
    private sealed class SameOriginFilter(ApiAccess access) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
            SameOrigin.Refusal(context.HttpContext.Request, access) is { } refusal ? ApiProblems.Forbidden(refusal) : await next(context);
    }
}

/// <summary>The body of <c>POST /api/session</c>.</summary>
public sealed record SessionRequest(string? Token);

/// <summary>What the server needs, and whether the caller presents it (a bearer token, or a live session's cookie).</summary>
public sealed record SessionDocument(bool TokenRequiredForReads, bool TokenRequiredForChanges, bool Authenticated);
