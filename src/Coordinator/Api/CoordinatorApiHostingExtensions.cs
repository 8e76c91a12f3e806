using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SweepRunner.Coordinator.Api;

public static class CoordinatorApiHostingExtensions
{
    /// <summary>Where the API listens unless configuration says otherwise (<see cref="ListenAddresses"/>): loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Configuration key of the token that changes need when the API listens beyond loopback, and reads with <see cref="RequireTokenForReadsKey"/>.</summary>
    public const string TokenKey = "Api:Token";

    /// <summary>Configuration key of a file holding the token instead (<see cref="TokenFile"/>).</summary>
    public const string TokenFileKey = "Api:TokenFile";

    /// <summary>Configuration key that makes every read of the API and of <c>/metrics</c> need the token too (default false).</summary>
    public const string RequireTokenForReadsKey = "Api:RequireTokenForReads";

    /// <summary>
    /// Adds the REST API's services and binds Kestrel to <see cref="DefaultUrl"/> unless configuration names addresses.
    /// Throws <see cref="ApiConfigurationException"/> when an address other hosts can reach is configured without a
    /// token, and for a token setting that cannot be used. Needs the coordinator's services (<c>AddCoordinator</c>).
    /// </summary>
    public static WebApplicationBuilder AddCoordinatorApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var addresses = ListenAddresses.From(builder.Configuration);
        if (addresses.Count == 0)
        {
            builder.WebHost.UseUrls(DefaultUrl);
            addresses = [DefaultUrl];
        }
        var access = ApiAccess.For(addresses, ReadToken(builder.Configuration), ReadFlag(builder.Configuration, RequireTokenForReadsKey));
        builder.Services.AddSingleton(access);
        if (access.TokenRequiredForReads) builder.Services.AddSingleton<IStartupFilter, ReadAccessMiddleware.StartupFilter>();
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Maps <c>/api/sweeps</c>, <c>/api/trials</c>, <c>/api/parameters</c>, <c>/api/prometheus</c>, <c>/api/session</c> and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapCoordinatorApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi();
        endpoints.MapSweepsApi();
        endpoints.MapTrialsApi();
        endpoints.MapParametersApi();
        endpoints.MapPrometheusApi();
        endpoints.MapSessionApi();
        return endpoints;
    }

    /// <summary>The token of <see cref="TokenKey"/> or of the file <see cref="TokenFileKey"/> names; null when neither is set.</summary>
    private static string? ReadToken(ConfigurationManager configuration)
    {
        string? token = configuration[TokenKey];
        string? file = configuration[TokenFileKey];
        if (string.IsNullOrEmpty(file)) return token;
        if (!string.IsNullOrEmpty(token)) throw new ApiConfigurationException($"both {TokenKey} and {TokenFileKey} are set; set one");
        return TokenFile.TryRead(file, TokenFileKey, out var fromFile, out var error) ? fromFile : throw new ApiConfigurationException(error);
    }

    private static bool ReadFlag(ConfigurationManager configuration, string key) => configuration[key] switch
    {
        null or "" => false,
        var value when bool.TryParse(value, out bool flag) => flag,
        var value => throw new ApiConfigurationException($"{key}: {value} is not valid; expected true or false"),
    };
}
