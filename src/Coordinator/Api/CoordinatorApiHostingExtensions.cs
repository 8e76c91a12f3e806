using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SweepRunner.Coordinator.Api;

public static class CoordinatorApiHostingExtensions
{
    /// <summary>Where the API listens unless <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Configuration key of the bearer token mutating calls need when the API listens beyond loopback.</summary>
    public const string TokenKey = "Api:Token";

    /// <summary>
    /// Adds the REST API's services and binds Kestrel to <c>urls</c> (default <see cref="DefaultUrl"/>). Throws
    /// <see cref="ApiConfigurationException"/> when an address other hosts can reach is configured without <c>Api:Token</c>.
    /// Needs the coordinator's services (<c>AddCoordinator</c>).
    /// </summary>
    public static WebApplicationBuilder AddCoordinatorApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : DefaultUrl;
        var access = MutationAccess.For(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), builder.Configuration[TokenKey]);
        builder.WebHost.UseUrls(urls);
        builder.Services.AddSingleton(access);
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Maps <c>/api/sweeps</c>, <c>/api/trials</c>, <c>/api/parameters</c>, <c>/api/prometheus</c> and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapCoordinatorApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi();
        endpoints.MapSweepsApi();
        endpoints.MapTrialsApi();
        endpoints.MapParametersApi();
        endpoints.MapPrometheusApi();
        return endpoints;
    }
}
