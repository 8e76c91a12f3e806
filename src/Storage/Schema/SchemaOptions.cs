using Microsoft.Extensions.Configuration;

namespace SweepRunner.Storage.Schema;

/// <summary>What the schema step applies besides the store's own migrations.</summary>
public sealed record SchemaOptions
{
    /// <summary>Orleans' own configuration key for its clustering provider; "AdoNet" means clustering on the database.</summary>
    public const string OrleansClusteringKey = "Orleans:Clustering:ProviderType";

    /// <summary>Also apply the Orleans ADO.NET clustering schema (PostgreSQL only).</summary>
    public bool OrleansClustering { get; init; }

    public static SchemaOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new() { OrleansClustering = string.Equals(configuration[OrleansClusteringKey], "AdoNet", StringComparison.OrdinalIgnoreCase) };
    }
}
