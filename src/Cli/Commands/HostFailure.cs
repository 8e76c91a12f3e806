using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator.Api;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Cli.Commands;

/// <summary>How a host that would not start ends a command: the message to print and the exit code.</summary>
internal static class HostFailure
{
    /// <summary>Bad configuration (a database login refused, the cluster's ids or certificate, another cluster's store or an incompatible version among it) exits 2, an unreachable database 4; anything else is not a start-up problem we know (null).</summary>
    public static (string Message, int ExitCode)? Classify(Exception exception)
    {
        // Hosts wrap what their services threw on start in an AggregateException.
        var cause = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        return cause switch
        {
            ApiConfigurationException or StorageConfigurationException or ClusterConfigurationException or InputException => (cause.Message, ExitCodes.BadInput),
            // Another cluster's store, or an incompatible version: starting again would fail the same way.
            IncompatibleStoreException => (cause.Message, ExitCodes.BadInput),
            Microsoft.Extensions.Options.OptionsValidationException => (cause.Message, ExitCodes.BadInput),
            // A server that answered and refused (login, no such database) is configuration; hosts wait for one that does not answer.
            StorageUnavailableException { MayComeUp: false, Connection.Provider: StorageProvider.PostgreSql } => (cause.Message, ExitCodes.BadInput),
            StorageUnavailableException => (cause.Message, ExitCodes.Unreachable),
            // Kestrel's "Failed to bind to address …: address already in use": a port someone else holds.
            IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } => ($"{cause.Message} Choose another port.", ExitCodes.BadInput),
            _ => null,
        };
    }
}
