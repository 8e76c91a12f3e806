using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// Strong ETags for the JSON that GET endpoints answer with (200): the SHA-256 of the body, and 304 without a body to a
/// request whose <c>If-None-Match</c> names it. A dashboard that polls every few seconds then costs the server a query
/// but not the transfer, and the page redraws only when something changed. Files (checkpoints, figures) keep their own
/// ETags: only results that carry a value to serialize are buffered and tagged here.
/// </summary>
internal sealed class JsonEntityTagFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var result = await next(context);
        return HttpMethods.IsGet(context.HttpContext.Request.Method) && result is IResult executable && IsJsonValue(executable)
            ? new EntityTaggedResult(executable)
            : result;
    }

    /// <summary>Whether <paramref name="result"/> (or the one a <c>Results&lt;…&gt;</c> holds) is a 200 with a value to serialize.</summary>
    private static bool IsJsonValue(IResult result) => result switch
    {
        INestedHttpResult nested => IsJsonValue(nested.Result),
        IValueHttpResult and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } => true,
        _ => false,
    };

    /// <summary>Runs the result into a buffer, then sends its ETag and either 304 or the buffered body.</summary>
    private sealed class EntityTaggedResult(IResult inner) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            var body = response.Body;
            using var buffer = new MemoryStream();
            response.Body = buffer;
            try
            {
                await inner.ExecuteAsync(httpContext);
            }
            finally
            {
                response.Body = body;
            }

            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))}\"");
            response.Headers.ETag = tag.ToString();
            // Kept by the browser, but asked about again each time: the data changes while a sweep runs.
            response.Headers.CacheControl = "no-cache";
            if (Matches(httpContext.Request, tag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentType = null;
                return;
            }
            response.ContentLength = buffer.Length;
            buffer.Position = 0;
            await buffer.CopyToAsync(body, httpContext.RequestAborted);
        }

        // If-None-Match compares weakly (RFC 9110 13.1.2): a W/ tag a proxy made of ours still matches.
        private static bool Matches(HttpRequest request, EntityTagHeaderValue tag) =>
            request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false));
    }
}

/// <summary>How the API's JSON reads get their ETags.</summary>
internal static class JsonEntityTagExtensions
{
    /// <summary>Adds <see cref="JsonEntityTagFilter"/> to every endpoint of <paramref name="group"/> (it acts on GETs only).</summary>
    public static RouteGroupBuilder WithJsonEntityTags(this RouteGroupBuilder group) => group.AddEndpointFilter<RouteGroupBuilder, JsonEntityTagFilter>();
}
