using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Api;
using SweepRunner.Storage.Connection;
using SweepRunner.TestSupport;
using SweepRunner.WebUi;

namespace SweepRunner.Web.Tests.Server;

/// <summary>
/// The coordinator as <c>sweep coordinator</c> composes it — silo, REST API and the dashboard (<c>MapWebUi</c>) — on a
/// real Kestrel (port 0) with a fresh SQLite store; no workers.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    private readonly string folder;
    private readonly WebApplication app;

    private WebServer(string folder, WebApplication app, Uri address)
    {
        this.folder = folder;
        this.app = app;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public static async Task<WebServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-web-").FullName;
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = folder });
            builder.Configuration["urls"] = "http://127.0.0.1:0";
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = Path.Combine(folder, "store.db");
            builder.Configuration[CoordinatorHostingExtensions.SiloPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
            builder.Configuration[CoordinatorHostingExtensions.GatewayPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddCoordinator();
            builder.AddCoordinatorApi();
            var app = builder.Build();
            app.MapCoordinatorApi();
            app.MapWebUi();
            await app.StartAsync();
            return new WebServer(folder, app, new Uri(app.Urls.First()));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Submits a one-trial sweep file and returns the new sweep's id.</summary>
    public async Task<Guid> SubmitAsync(string yaml, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps?file=web.yaml") { Content = new StringContent(yaml, System.Text.Encoding.UTF8, "text/yaml") };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("sweep_id").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
