namespace SweepRunner.Contracts.Grains;

/// <summary>
/// The Orleans cluster the coordinator silo and the workers join: ServiceId and ClusterId are set explicitly (never
/// Orleans' defaults) so that two deployments on one database do not see each other's members.
/// </summary>
public static class ClusterIdentity
{
    public const string ServiceId = "sweeprunner";

    /// <summary>Configuration key overriding <see cref="DefaultClusterId"/> (environment: <c>Orleans__ClusterId</c>).</summary>
    public const string ClusterIdKey = "Orleans:ClusterId";

    public const string DefaultClusterId = "sweeprunner";

    /// <summary>Orleans' ADO.NET invariant name for PostgreSQL.</summary>
    public const string PostgresInvariant = "Npgsql";
}
