using Microsoft.Extensions.Configuration;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Schema;

/// <summary>What the schema step applies besides the store's own migrations, and whether the host applies them at all.</summary>
public sealed record SchemaOptions
{
    /// <summary>Orleans' own configuration key for its clustering provider; "AdoNet" means clustering on the database.</summary>
    public const string OrleansClusteringKey = "Orleans:Clustering:ProviderType";

    /// <summary>Whether a host migrates its store when it starts (environment: <c>Storage__Migrate</c>; <c>--no-migrate</c> sets it false).</summary>
    public const string MigrateKey = "Storage:Migrate";

    /// <summary>Also apply the Orleans ADO.NET clustering schema (PostgreSQL only).</summary>
    public bool OrleansClustering { get; init; }

    /// <summary>
    /// Apply what is pending (the default). False: the schema is the deployment's one-shot <c>sweep db migrate</c>'s to
    /// apply, and the host only waits until it is there, as a runtime role without schema rights can.
    /// </summary>
    public bool Migrate { get; init; } = true;

    /// <exception cref="StorageConfigurationException"><see cref="MigrateKey"/> is neither true nor false.</exception>
    public static SchemaOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new()
        {
            OrleansClustering = string.Equals(configuration[OrleansClusteringKey], "AdoNet", StringComparison.OrdinalIgnoreCase),
            Migrate = ReadMigrate(configuration[MigrateKey]),
        };
    }

    private static bool ReadMigrate(string? text) => text switch
    {
        null or "" => true,
        _ when bool.TryParse(text, out bool migrate) => migrate,
        _ => throw new StorageConfigurationException($"{MigrateKey} (Storage__Migrate) must be true or false, got '{text}'"),
    };
}
