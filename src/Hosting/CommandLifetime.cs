using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SweepRunner.Hosting;

/// <summary>
/// A host lifetime for hosts run by a command that owns Ctrl-C and SIGTERM itself. The default console lifetime
/// registers for the same signals and stops the host from its own handler, in an order the runtime does not fix: the
/// command could then see its host stopping before it saw the signal, and take a stop it asked for for a failure.
/// </summary>
public sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class CommandLifetimeExtensions
{
    /// <summary>Leaves the process's signals to the command: it stops the host when it is asked to.</summary>
    public static IHostApplicationBuilder UseCommandLifetime(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        return builder;
    }
}
