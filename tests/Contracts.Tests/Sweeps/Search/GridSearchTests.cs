using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps.Search;

public sealed class GridSearchTests
{
    private const string TwoByThree = "parameters:\n  loss: {values: [bce, mse]}\n  beta: {values: [1, 2, 4]}\n  seed: {value: 0}\n";

    [Fact]
    public void Expands_the_cartesian_product_with_the_last_parameter_varying_fastest()
    {
        var trials = new GridSearch(SweepText.Spec("method: grid\n" + TwoByThree)).ExpandAll();

        Assert.Equal(
            ["bce 1.0", "bce 2.0", "bce 4.0", "mse 1.0", "mse 2.0", "mse 4.0"],
            trials.Select(trial => $"{trial["loss"]} {trial["beta"]}"));
    }

    [Fact]
    public void Expansion_is_the_same_every_time()
    {
        var spec = SweepText.Spec("method: grid\n" + TwoByThree);

        Assert.Equal(new GridSearch(spec).ExpandAll().Select(trial => trial.Hash), new GridSearch(spec).ExpandAll().Select(trial => trial.Hash));
    }

    [Fact]
    public void Run_cap_keeps_the_first_configs()
    {
        var trials = new GridSearch(SweepText.Spec("method: grid\nrun_cap: 4\n" + TwoByThree)).ExpandAll();

        Assert.Equal(["bce 1.0", "bce 2.0", "bce 4.0", "mse 1.0"], trials.Select(trial => $"{trial["loss"]} {trial["beta"]}"));
    }

    [Fact]
    public void Suggest_gives_the_first_config_not_yet_proposed_then_null()
    {
        var search = new GridSearch(SweepText.Spec("method: grid\n" + TwoByThree));
        var all = search.ExpandAll();
        var history = new List<ProposedTrial> { new(all[1]), new(all[0], 3.5) };

        Assert.Equal(all[2].Hash, search.Suggest(history)!.Hash);
        Assert.Null(search.Suggest([.. all.Select(trial => new ProposedTrial(trial))]));
    }

    [Fact]
    public void Count_is_the_product_of_the_value_counts()
    {
        var spec = SweepText.Spec("method: grid\n" + TwoByThree);

        Assert.Equal(6, (int)GridSearch.Count(spec.Parameters));
    }

    [Fact]
    public void Grid_of_exactly_the_cap_is_accepted()
    {
        var values = string.Join(", ", Enumerable.Range(1, 100));
        var spec = SweepText.Spec($"method: grid\nparameters:\n  seed: {{values: [{values}]}}\n  latent_dim: {{values: [{values}]}}\n");

        Assert.Equal(GridSearch.MaxTrials, new GridSearch(spec).ExpandAll().Count);
    }
}
