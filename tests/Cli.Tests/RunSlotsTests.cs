using SweepRunner.Cli.Commands;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Tests;

public sealed class RunSlotsTests
{
    [Theory]
    [InlineData("values: [1, 4]", "", 2, 2)]         // as many slots as cores
    [InlineData("values: [1, 4]", "", 16, 2)]        // no more than the grid's trials
    [InlineData("values: [1, 2, 4, 8]", "", 1, 1)]   // one core, one slot
    [InlineData("values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "", 64, RunSlots.MaxDefault)]
    [InlineData("values: [1, 2, 3, 4, 5, 6]", "run_cap: 3", 16, 3)]
    public void Default_is_one_slot_per_core_bounded_by_the_sweeps_trials_each_leasing_one_trial_at_a_time(string betas, string extra, int cores, int expected)
    {
        var spec = Parse($"""
            method: grid
            {extra}
            parameters:
              beta:
                {betas}
            """);

        Assert.Equal(expected, RunSlots.Default(spec, cores));
        Assert.Equal(1, RunSlots.PackedGroupSize(spec, expected));
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
    [InlineData("beta: {values: [1, 2, 4, 8]}", 2, 2, 2)]                                   // a slot per core, the four trials shared out
    [InlineData("beta: {values: [1, 2, 4, 8]}", 1, 1, 4)]                                   // one core: all four in its slot
    [InlineData("beta: {values: [1, 2, 4, 8]}", 16, 4, 1)]                                  // a core per trial: nothing left to pack
    [InlineData("beta: {values: [1, 2, 4, 8]}\n  seed: {values: [0, 1]}", 2, 2, 4)]         // a group per seed and slot
    [InlineData("beta: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]}", 2, 2, WorkerOptions.DefaultMaxPackedTrials)]
    public void A_grid_that_packs_keeps_a_slot_per_core_and_shares_its_trials_out_over_them(string parameters, int cores, int slots, int groupSize)
    {
        var spec = Parse($"""
            method: grid
            packing: auto
            parameters:
              {parameters}
            """);

        Assert.Equal(slots, RunSlots.Default(spec, cores));
        Assert.Equal(groupSize, RunSlots.PackedGroupSize(spec, slots));
    }

    [Fact]
    public void A_random_sweep_that_packs_shares_its_run_cap_out_over_the_slots()
    {
        var spec = Parse("""
            method: random
            packing: auto
            run_cap: 6
            parameters:
              beta:
                min: 0.5
                max: 4
            """);

        Assert.Equal(3, RunSlots.PackedGroupSize(spec, 2));
    }

    private static SweepSpec Parse(string yaml) => SweepSpecParser.Parse(yaml, "sweep.yaml").Spec;
}
