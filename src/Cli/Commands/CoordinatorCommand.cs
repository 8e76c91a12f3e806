using System.CommandLine;
using Spectre.Console;
using SweepRunner.Coordinator;
using SweepRunner.ServiceDefaults;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep coordinator</c>: runs the silo and the REST API until stopped (Ctrl-C, SIGTERM).</summary>
internal static class CoordinatorCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Where the REST API listens, ;-separated [default: $ASPNETCORE_URLS, else http://127.0.0.1:5080]; beyond loopback needs a token ($Api__TokenFile or $Api__Token)",
            HelpName = "URL",
        };
        var postgres = new PostgresOptions("The sweep store, Host=…;Database=… (workers join through it) [default: $ConnectionStrings__SweepRunner, else a local SQLite file]");
        var advertise = new Option<string?>("--advertise")
        {
            Description = "The address (IP or host name) workers connect to the silo at [default: $Coordinator__AdvertisedAddress, else 127.0.0.1: workers on this host only]",
            HelpName = "HOST",
        };
        var noMigrate = NoMigrateOption.Create();
        var command = new Command("coordinator", "Run the coordinator: Orleans silo (sweep and scheduler grains) and the REST API; workers join with sweep worker");
        command.Options.Add(urls);
        postgres.AddTo(command);
        command.Options.Add(advertise);
        command.Options.Add(noMigrate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var settings = new Dictionary<string, string?>();
                if (parseResult.GetValue(advertise) is { } address)
                    settings[$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.AdvertisedAddress)}"] = address;
                if (VerboseOption.IsSet(parseResult)) settings[ServiceDefaultsExtensions.VerboseKey] = "true";
                NoMigrateOption.Apply(parseResult, noMigrate, settings);
                await using var app = CoordinatorHost.Build(parseResult.GetValue(urls), postgres.Resolve(parseResult), settings);
                await HostRun.StartAsync(app, cancellationToken);
                console.Profile.Out.Writer.WriteLine($"coordinator: API on {string.Join(", ", app.Urls)}; dashboard {app.Urls.First()}/; Ctrl-C stops it");
                bool stoppedByItself = await HostRun.WaitForStopAsync(app, cancellationToken);
                // Leave the cluster cleanly, so that workers move on without waiting for a timeout.
                await app.StopAsync(CancellationToken.None);
                if (!stoppedByItself) return ExitCodes.Ok;
                await error.WriteLineAsync("error: the coordinator stopped by itself (see the lines above)");
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped while starting, waiting for PostgreSQL among others.
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (HostFailure.Classify(ex) is { } failure)
            {
                await error.WriteLineAsync($"error: {failure.Message}");
                return failure.ExitCode;
            }
        });
        return command;
    }
}
