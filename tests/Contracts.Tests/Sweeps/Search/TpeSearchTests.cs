using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps.Search;

public sealed class TpeSearchTests
{
    private const string Quadratic = """
        method: bayes
        metric: {name: test.total, goal: minimize}
        parameters:
          lr: {distribution: log_uniform_values, min: 0.00001, max: 0.1}
          beta: {distribution: uniform, min: 0.5, max: 16}
        """;

    private const int Seeds = 20;
    private const int Budget = 30;

    // Minimum 0 at lr = 10^-2.5, β = 4.
    private static double Objective(TrialConfig config) =>
        Math.Pow(Math.Log10(config["lr"].AsNumber!.Value) + 2.5, 2) + Math.Pow((config["beta"].AsNumber!.Value - 4) / 4, 2);

    [Fact]
    public void Reaches_a_better_best_of_30_than_random_on_average_over_20_seeds()
    {
        var spec = SweepText.Spec(Quadratic);

        double tpe = Enumerable.Range(0, Seeds).Average(seed => BestOf(new TpeSearch(spec, seed), Objective));
        double random = Enumerable.Range(0, Seeds).Average(seed => BestOf(new RandomSearch(spec, seed), Objective));

        Assert.True(tpe < random / 2, $"mean best of {Budget}: TPE {tpe:G4}, random {random:G4}");
    }

    [Fact]
    public void Maximizing_a_metric_is_minimizing_its_negation()
    {
        var spec = SweepText.Spec(Quadratic.Replace("minimize", "maximize", StringComparison.Ordinal));

        double tpe = Enumerable.Range(0, Seeds).Average(seed => -BestOf(new TpeSearch(spec, seed), config => -Objective(config), maximize: true));
        double random = Enumerable.Range(0, Seeds).Average(seed => -BestOf(new RandomSearch(spec, seed), config => -Objective(config), maximize: true));

        Assert.True(tpe < random / 2, $"mean best of {Budget}: TPE {tpe:G4}, random {random:G4}");
    }

    [Fact]
    public void Proposes_like_random_until_ten_trials_have_a_metric()
    {
        var spec = SweepText.Spec(Quadratic);
        var tpe = new TpeSearch(spec, 3);
        var random = new RandomSearch(spec, 3);
        var history = new List<ProposedTrial>();
        for (int i = 0; i < 14; i++)
        {
            var config = tpe.Suggest(history)!;
            Assert.Equal(random.Suggest(history)!.Hash, config.Hash);
            // Four of the trials never finish, so the model starts only after the fourteenth proposal.
            history.Add(new ProposedTrial(config, i % 3 == 0 && i < 12 ? null : Objective(config)));
        }

        Assert.Equal(10, history.Count(trial => trial.Metric is not null));
        Assert.NotEqual(random.Suggest(history)!.Hash, tpe.Suggest(history)!.Hash);
    }

    [Fact]
    public void Same_seed_and_history_give_the_same_proposals()
    {
        var spec = SweepText.Spec(Quadratic);

        Assert.Equal(Trajectory(new TpeSearch(spec, 9)), Trajectory(new TpeSearch(spec, 9)));
    }

    [Fact]
    public void Learns_which_category_is_better()
    {
        var spec = SweepText.Spec("""
            method: bayes
            metric: {name: test.total}
            parameters:
              model: {values: [mlp, cnn, cvae]}
              lr: {distribution: log_uniform_values, min: 0.0001, max: 0.01}
            """);
        var history = SearchRun.Propose(new TpeSearch(spec, 4), config => config["model"].ToString() == "cnn" ? 1.0 : 2.0 + config["lr"].AsNumber!.Value, count: 60);

        Assert.True(history.Skip(TpeSearch.StartupTrials).Count(trial => trial.Config["model"].ToString() == "cnn") > 35);
    }

    [Fact]
    public void Integer_and_quantized_parameters_stay_on_their_grid()
    {
        var spec = SweepText.Spec("""
            method: bayes
            metric: {name: test.total}
            parameters:
              latent_dim: {distribution: int_uniform, min: 2, max: 6}
              batch_size: {distribution: q_uniform, min: 32, max: 256, q: 32}
            """);
        var history = SearchRun.Propose(new TpeSearch(spec, 0), config => Math.Abs(config["latent_dim"].AsNumber!.Value - 5), count: 25);

        Assert.All(history, trial => Assert.InRange(Assert.IsType<IntegerValue>(trial.Config["latent_dim"]).Value, 2, 6));
        Assert.All(history, trial => Assert.Equal(0, Assert.IsType<IntegerValue>(trial.Config["batch_size"]).Value % 32));
    }

    private static double BestOf(ISearchMethod search, Func<TrialConfig, double> objective, bool maximize = false)
    {
        var metrics = SearchRun.Propose(search, config => objective(config), Budget).Select(trial => trial.Metric!.Value).ToList();
        Assert.Equal(Budget, metrics.Count);
        return maximize ? metrics.Max() : metrics.Min();
    }

    private static List<string> Trajectory(TpeSearch search) =>
        [.. SearchRun.Propose(search, config => Objective(config), count: 20).Select(trial => trial.Config.Hash)];
}
