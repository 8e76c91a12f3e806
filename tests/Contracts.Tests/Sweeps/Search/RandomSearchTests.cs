using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps.Search;

public sealed class RandomSearchTests
{
    private const string Spec = """
        method: random
        run_cap: 50
        parameters:
          lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
          model: {values: [mlp, cnn, cvae]}
          latent_dim: {distribution: int_uniform, min: 2, max: 4}
        """;

    [Fact]
    public void Same_seed_and_history_give_the_same_trials()
    {
        var spec = SweepText.Spec(Spec);

        Assert.Equal(Run(new RandomSearch(spec, 42)), Run(new RandomSearch(spec, 42)));
    }

    [Fact]
    public void Another_seed_gives_other_trials()
    {
        var spec = SweepText.Spec(Spec);

        Assert.NotEqual(Run(new RandomSearch(spec, 1)), Run(new RandomSearch(spec, 2)));
    }

    [Fact]
    public void A_proposal_depends_on_the_history_only_not_on_earlier_calls()
    {
        var spec = SweepText.Spec(Spec);
        var trials = SearchRun.Propose(new RandomSearch(spec, 7));

        Assert.Equal(trials[10].Config.Hash, new RandomSearch(spec, 7).Suggest(trials[..10])!.Hash);
    }

    [Fact]
    public void Run_cap_bounds_the_sweep()
    {
        Assert.Equal(50, Run(new RandomSearch(SweepText.Spec(Spec), 3)).Count);
    }

    [Fact]
    public void Without_run_cap_it_keeps_proposing()
    {
        var search = new RandomSearch(SweepText.Spec("method: random\nparameters:\n  lr: {distribution: uniform, min: 0.001, max: 0.01}\n"), 0);

        var history = SearchRun.Propose(search, count: 200);

        Assert.Equal(200, history.Select(trial => trial.Config.Hash).Distinct().Count());
    }

    [Fact]
    public void Finite_space_ends_once_every_config_was_proposed_never_repeating_one()
    {
        var search = new RandomSearch(SweepText.Spec("method: random\nparameters:\n  model: {values: [mlp, cnn, cvae]}\n  loss: {values: [bce, mse]}\n"), 5);

        var history = SearchRun.Propose(search);

        Assert.Equal(6, history.Count);
        Assert.Equal(6, history.Select(trial => trial.Config.Hash).Distinct().Count());
    }

    [Fact]
    public void Draws_follow_the_declared_domains()
    {
        var spec = SweepText.Spec(Spec.Replace("run_cap: 50", "run_cap: 600", StringComparison.Ordinal));
        var history = SearchRun.Propose(new RandomSearch(spec, 11));

        var lrs = history.Select(trial => trial.Config["lr"].AsNumber!.Value).ToList();
        Assert.All(lrs, lr => Assert.InRange(lr, 1e-4, 0.1));
        // Log-uniform over three decades: about a third of the draws in each.
        Assert.InRange(lrs.Count(lr => lr < 1e-3), 150, 250);
        Assert.InRange(lrs.Count(lr => lr > 1e-2), 150, 250);
        Assert.Equal([2L, 3, 4], history.Select(trial => ((IntegerValue)trial.Config["latent_dim"]).Value).Distinct().Order());
        Assert.Equal(["cnn", "cvae", "mlp"], history.Select(trial => trial.Config["model"].ToString()).Distinct().Order());
    }

    [Fact]
    public void Categorical_probabilities_weight_the_draws()
    {
        var spec = SweepText.Spec("method: random\nparameters:\n  model: {values: [mlp, cnn], probabilities: [0.9, 0.1]}\n  x_i: {distribution: uniform, min: 0, max: 1}\n");
        var history = SearchRun.Propose(new RandomSearch(spec, 0), count: 1000);

        Assert.InRange(history.Count(trial => trial.Config["model"].ToString() == "mlp"), 860, 940);
    }

    private static List<string> Run(RandomSearch search) => [.. SearchRun.Propose(search).Select(trial => trial.Config.Hash)];
}
