using System.Text.Json.Nodes;

namespace SweepRunner.Cli.Tests;

/// <summary>The runtime settings the CLI ships in sweep.runtimeconfig.json, which every command (and every host) starts with.</summary>
public sealed class RuntimeConfigurationTests
{
    [Theory]
    // The container's emitted resolvers: about 120 methods compiled on pool threads in a short `sweep run`.
    [InlineData("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine")]
    // Reflection's emitted invoke stubs: about 270.
    [InlineData("Switch.System.Reflection.ForceInterpretedInvoke")]
    public void The_cli_interprets_what_the_runtime_would_otherwise_emit_and_compile_at_start_up(string setting)
    {
        Assert.True((bool?)Settings()[setting], $"{setting} is not set to true in the CLI's runtime configuration");
    }

    [Fact]
    public void The_cli_keeps_the_workstation_collector_non_concurrent()
    {
        // A background collection thread lets the MLP's native tensor memory pile up until finalizers run.
        Assert.False((bool?)Settings()["System.GC.Concurrent"]);
    }

    [Fact]
    public void The_cli_runs_without_dynamic_pgo()
    {
        // Its instrumented recompilations of every hot method take a core's cycles from the training slots.
        Assert.False((bool?)Settings()["System.Runtime.TieredPGO"]);
    }

    [Fact]
    public void The_cli_recompiles_a_method_only_after_a_thousand_calls()
    {
        // At the runtime's 30, code a host runs a few dozen times is compiled twice, on the cores the slots train on.
        Assert.Equal(1000, (int?)Settings()["System.Runtime.TieredCompilation.CallCountThreshold"]);
    }

    private static JsonObject Settings()
    {
        string path = Path.ChangeExtension(typeof(SweepCommand).Assembly.Location, ".runtimeconfig.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!;
        return document["runtimeOptions"]!["configProperties"]!.AsObject();
    }
}
