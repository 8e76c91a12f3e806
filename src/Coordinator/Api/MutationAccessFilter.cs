using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// The check of every endpoint that changes something: 403 when a web page of another origin asked for the change
/// (<see cref="SameOrigin"/>), 401 when the server is reachable from other hosts and the caller did not present the
/// token (<see cref="ApiAccess"/>). Endpoints add it with <see cref="MutationAccessExtensions.RequireMutationAccess{TBuilder}"/>.
/// </summary>
internal sealed class MutationAccessFilter(ApiAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (SameOrigin.Refusal(http.Request, access) is { } refusal) return ApiProblems.Forbidden(refusal);
        if (access.AllowsChange(http.Request)) return await next(context);
        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return ApiProblems.Unauthorized("this server is reachable from other hosts: send Authorization: Bearer <Api:Token>");
    }
}

/// <summary>How an endpoint that changes something (POST, PUT, PATCH, DELETE) is guarded.</summary>
public static class MutationAccessExtensions
{
    /// <summary>
    /// Adds <see cref="MutationAccessFilter"/> to <paramref name="builder"/> (an endpoint, or a group: every endpoint in
    /// it): changes only from the API's own origin, and with the token where the server is reachable from other hosts.
    /// </summary>
    public static TBuilder RequireMutationAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter<TBuilder, MutationAccessFilter>()
            .WithMetadata(Problem(StatusCodes.Status401Unauthorized), Problem(StatusCodes.Status403Forbidden));
    }

    // For the OpenAPI document: the endpoint may answer these with a problem.
    private static ProducesResponseTypeMetadata Problem(int status) => new(status, typeof(ProblemDetails), ["application/problem+json"]);
}
