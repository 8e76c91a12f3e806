using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SweepRunner.Coordinator.Api;

/// <summary>Answers 401 to a mutating call that <see cref="MutationAccess"/> does not allow.</summary>
internal sealed class MutationAccessFilter(MutationAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (access.Allows(http.Request.Headers.Authorization)) return await next(context);
        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return TypedResults.Problem("this server is reachable from other hosts: send Authorization: Bearer <Api:Token>", statusCode: StatusCodes.Status401Unauthorized, title: "unauthorized");
    }
}
