using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Storage.Tests;

public sealed class StorageHostingTests : IDisposable
{
    private readonly string contentRoot = Directory.CreateTempSubdirectory("sweeprunner-host-").FullName;

    public void Dispose() => Directory.Delete(contentRoot, recursive: true);

    [Fact]
    public async Task A_host_with_sweep_storage_migrates_its_default_sqlite_file_on_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot, DisableDefaults = true });
        builder.AddSweepStorage();
        using var host = builder.Build();

        await host.StartAsync();
        var sweep = await host.Services.GetRequiredService<SweepStore>().CreateAsync(Samples.Sweep(), Samples.Trials(2));
        await host.StopAsync();

        Assert.True(File.Exists(Path.Combine(contentRoot, ".sweeprunner", "sweeprunner.db")));
        await using var context = host.Services.GetRequiredService<IDbContextFactory<SweepDbContext>>().CreateDbContext();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        Assert.Equal(2, await context.Trials.CountAsync(t => t.SweepId == sweep.Id));
    }

    [Fact]
    public void A_malformed_connection_string_fails_when_the_storage_is_added()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot, DisableDefaults = true });
        builder.Configuration["ConnectionStrings:SweepRunner"] = "Host=db.example";

        var error = Assert.Throws<StorageConfigurationException>(() => builder.AddSweepStorage());

        Assert.Equal("connection string: no Database given for the server db.example:5432", error.Message);
    }
}
