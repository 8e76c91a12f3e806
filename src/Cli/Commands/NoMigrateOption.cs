using System.CommandLine;
using SweepRunner.Storage.Schema;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>--no-migrate</c> of the long-running hosts (<c>sweep coordinator</c>, <c>sweep worker</c>): the deployment applies
/// the schema in a step of its own (<c>sweep db migrate --orleans-clustering</c>), and the host, perhaps logged in as a
/// role without schema rights, only waits until the schema is there.
/// </summary>
internal static class NoMigrateOption
{
    public static Option<bool> Create() => new("--no-migrate")
    {
        Description = "Apply no schema migration at start: wait until `sweep db migrate` has, then start (a runtime database role needs no schema rights) [env: Storage__Migrate=false]",
    };

    /// <summary>Adds what the option says to a host's <paramref name="settings"/>; unset, the environment's <c>Storage__Migrate</c> (default true) stays.</summary>
    public static void Apply(ParseResult parseResult, Option<bool> option, IDictionary<string, string?> settings)
    {
        if (parseResult.GetValue(option)) settings[SchemaOptions.MigrateKey] = "false";
    }
}
