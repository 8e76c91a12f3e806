using SweepRunner.Cli.Commands;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Cli.Tests;

public sealed class RunSlotsTests
{
    [Theory]
    [InlineData("values: [1, 4]", "", 2, 2)]         // as many slots as cores
    [InlineData("values: [1, 4]", "", 16, 2)]        // no more than the grid's trials
    [InlineData("values: [1, 2, 4, 8]", "", 1, 1)]   // one core, one slot
    [InlineData("values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "", 64, RunSlots.MaxDefault)]
    [InlineData("values: [1, 2, 3, 4, 5, 6]", "run_cap: 3", 16, 3)]
    public void Default_is_one_slot_per_core_bounded_by_the_sweeps_trials(string betas, string extra, int cores, int expected)
    {
        var spec = Parse($"""
            method: grid
            {extra}
            parameters:
              beta:
                {betas}
            """);

        Assert.Equal(expected, RunSlots.Default(spec, cores));
    }

    [Fact]
    public void A_random_sweep_without_a_cap_gets_a_slot_per_core_up_to_the_bound()
    {
        var spec = Parse("""
            method: random
            parameters:
              beta:
                min: 0.5
                max: 4
            """);

        Assert.Equal(4, RunSlots.Default(spec, 4));
        Assert.Equal(RunSlots.MaxDefault, RunSlots.Default(spec, 96));
    }

    [Theory]
    [InlineData("beta: {values: [1, 2, 4, 8]}", 2, 1)]                                      // one group: one slot, both cores its threads
    [InlineData("beta: {values: [1, 2, 4, 8]}\n  seed: {values: [0, 1]}", 16, 2)]          // a group per seed
    [InlineData("beta: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}", 16, 2)]         // groups of at most 8
    [InlineData("beta: {values: [1, 2, 4, 8]}\n  model: {value: cnn}", 16, 4)]             // the CNN does not pack
    public void A_grid_that_packs_gets_a_slot_per_packed_group(string parameters, int cores, int expected)
    {
        var spec = Parse($"""
            method: grid
            packing: auto
            parameters:
              {parameters}
            """);

        Assert.Equal(expected, RunSlots.Default(spec, cores));
    }

    private static SweepSpec Parse(string yaml) => SweepSpecParser.Parse(yaml, "sweep.yaml").Spec;
}
