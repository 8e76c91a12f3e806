using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Schema;

namespace SweepRunner.Cli.Commands;

/// <summary><c>sweep db migrate</c>: applies the sweep store's pending schema migrations and reports what it applied.</summary>
internal sealed class DbCommand
{
    private readonly IAnsiConsole console;

    private readonly Option<string?> connection = new("--connection")
    {
        Description = "Host=… (PostgreSQL), or Data Source=… or a file path (SQLite) [default: $ConnectionStrings__SweepRunner, else .sweeprunner/sweeprunner.db]",
        HelpName = "CONN",
    };

    private readonly Option<bool> orleansClustering = new("--orleans-clustering")
    {
        Description = "Also apply the Orleans ADO.NET clustering schema (PostgreSQL) [default: when $Orleans__Clustering__ProviderType is AdoNet]",
    };

    private DbCommand(IAnsiConsole console) => this.console = console;

    /// <summary>The <c>db</c> command and its <c>migrate</c> subcommand, reporting to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console) => new DbCommand(console).Build();

    private Command Build()
    {
        var migrate = new Command("migrate", "Create the sweep store if needed and apply its pending schema migrations");
        migrate.Options.Add(connection);
        migrate.Options.Add(orleansClustering);
        migrate.SetAction(MigrateAsync);
        var db = new Command("db", "The sweep store's database");
        db.Subcommands.Add(migrate);
        return db;
    }

    private async Task<int> MigrateAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var store = parseResult.GetValue(connection) is { } given
                ? StorageConnection.Parse(given, Environment.CurrentDirectory)
                : StorageConnection.FromConfiguration(configuration, Environment.CurrentDirectory);
            var options = SchemaOptions.FromConfiguration(configuration);
            if (parseResult.GetValue(orleansClustering)) options = options with { OrleansClustering = true };

            Report(await new SchemaMigrator(new SweepDbContextFactory(store)).MigrateAsync(options, cancellationToken));
            return ExitCodes.Ok;
        }
        catch (StorageConfigurationException ex)
        {
            return await FailAsync(error, ex.Message, ExitCodes.BadInput);
        }
        catch (IncompatibleStoreException ex)
        {
            // Upgraded by a newer version: this one must not touch it.
            return await FailAsync(error, ex.Message, ExitCodes.BadInput);
        }
        catch (StorageUnavailableException ex)
        {
            return await FailAsync(error, ex.Message, ExitCodes.Unreachable);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(error, "cancelled; migrations run in transactions, so none was half applied", ExitCodes.Cancelled);
        }
        catch (DbException ex)
        {
            // Reached, but refused: no right to create tables, a schema edited by hand.
            return await FailAsync(error, ex.Message, ExitCodes.Failure);
        }
    }

    // Plain lines on the console's own writer: paths and migration names are not wrapped to the terminal's width.
    private void Report(MigrationReport report)
    {
        var output = console.Profile.Out.Writer;
        if (report.UpToDate)
        {
            output.WriteLine($"{report.Database}: up to date");
            return;
        }
        output.WriteLine($"{report.Database}:");
        if (report.AppliedMigrations.Count > 0)
            output.WriteLine($"  applied {report.AppliedMigrations.Count} migrations: {string.Join(", ", report.AppliedMigrations)}");
        if (report.AppliedOrleansScripts.Count > 0)
            output.WriteLine($"  applied the Orleans clustering schema: {string.Join(", ", report.AppliedOrleansScripts)}");
    }

    private static async Task<int> FailAsync(TextWriter error, string message, int exitCode)
    {
        await error.WriteLineAsync($"error: {message}");
        return exitCode;
    }
}
