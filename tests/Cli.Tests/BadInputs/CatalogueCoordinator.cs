using System.Net.Http.Json;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// A coordinator (silo and REST API on a real Kestrel, SQLite store, no workers) holding one submitted sweep, so that
/// a bad input has something it could damage: the store must read the same after it.
/// </summary>
public sealed class CatalogueCoordinator : IAsyncLifetime
{
    private readonly InProcessCoordinator coordinator = new();

    public string Url => coordinator.Url;

    public IServiceProvider Services => coordinator.Services;

    /// <summary>The sweep submitted at start (examples/quick.yaml), its trials pending.</summary>
    public Guid SweepId { get; private set; }

    public async Task InitializeAsync()
    {
        await coordinator.InitializeAsync();
        using var client = new HttpClient { BaseAddress = new Uri(Url) };
        using var content = new StringContent(await File.ReadAllTextAsync(Examples.Find("quick.yaml")), System.Text.Encoding.UTF8, "text/yaml");
        using var response = await client.PostAsync(new Uri("/api/sweeps?file=quick.yaml", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        SweepId = (await response.Content.ReadFromJsonAsync<SweepSnapshot>(ApiJson.Options))!.SweepId;
    }

    public Task DisposeAsync() => coordinator.DisposeAsync();
}
