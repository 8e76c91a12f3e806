using System.Net;
using Microsoft.Extensions.Configuration;

namespace SweepRunner.Contracts.Grains;

/// <summary>
/// The Orleans cluster the coordinator silos and the workers join: ServiceId and ClusterId are set explicitly (never
/// Orleans' defaults) so that two deployments on one database do not see each other's members. Both come from
/// configuration; the built-in ones are meant for a coordinator on loopback only (<see cref="RequireOwnBeyondLoopback"/>).
/// </summary>
public sealed record ClusterIdentity(string ServiceId, string ClusterId)
{
    /// <summary>Configuration key of the service id (environment: <c>Orleans__ServiceId</c>).</summary>
    public const string ServiceIdKey = "Orleans:ServiceId";

    /// <summary>Configuration key of the cluster id (environment: <c>Orleans__ClusterId</c>).</summary>
    public const string ClusterIdKey = "Orleans:ClusterId";

    public const string DefaultServiceId = "sweeprunner";

    public const string DefaultClusterId = "sweeprunner";

    /// <summary>Orleans' ADO.NET invariant name for PostgreSQL.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>Whether either id is the built-in one, which every deployment that did not set its own shares.</summary>
    public bool IsBuiltIn => ServiceId == DefaultServiceId || ClusterId == DefaultClusterId;

    /// <summary>The ids configured under <see cref="ServiceIdKey"/> and <see cref="ClusterIdKey"/>, each defaulting to the built-in one.</summary>
    public static ClusterIdentity FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new(
            configuration[ServiceIdKey] is { Length: > 0 } serviceId ? serviceId : DefaultServiceId,
            configuration[ClusterIdKey] is { Length: > 0 } clusterId ? clusterId : DefaultClusterId);
    }

    /// <summary>
    /// Refuses the built-in ids for a coordinator that advertises <paramref name="advertised"/> beyond loopback: there
    /// another deployment's coordinators and workers, started with the same defaults on the same database, would join it.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">The address is not loopback and an id is the built-in one.</exception>
    public void RequireOwnBeyondLoopback(string advertised)
    {
        bool loopback = IPAddress.TryParse(advertised, out var address)
            ? IPAddress.IsLoopback(address)
            : string.Equals(advertised, "localhost", StringComparison.OrdinalIgnoreCase);
        if (loopback || !IsBuiltIn) return;
        throw new ClusterConfigurationException(
            $"the coordinator advertises {advertised}, beyond loopback, with the built-in cluster identity: set {ServiceIdKey} and {ClusterIdKey} "
            + "(environment Orleans__ServiceId, Orleans__ClusterId) to this deployment's own, the same on its coordinators and workers");
    }
}
