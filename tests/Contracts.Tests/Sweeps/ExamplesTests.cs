using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.EarlyStopping;
using SweepRunner.Contracts.Sweeps.Search;
using SweepRunner.Contracts.Tests.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary>Every file of examples/ parses and expands.</summary>
public sealed class ExamplesTests
{
    [Fact]
    public void Beta_vae_is_the_books_beta_sweep_of_the_mlp()
    {
        var trials = Expand("beta-vae.yaml");

        Assert.Equal([1.0, 2, 4, 7, 16], trials.Select(trial => trial["beta"].AsNumber));
        Assert.All(trials, trial => Assert.Equal(new StringValue("mlp"), trial["model"]));
        Assert.All(trials, trial => Assert.Equal(new IntegerValue(2), trial["epochs"]));
    }

    [Fact]
    public void Arch_loss_beta_is_every_architecture_loss_and_beta_with_the_last_varying_fastest()
    {
        var trials = Expand("arch-loss-beta.yaml");

        Assert.Equal(18, trials.Count);
        Assert.Equal(18, trials.Select(trial => trial.Hash).Distinct().Count());
        Assert.Equal(["mlp", "bce", "1.0"], Key(trials[0]));
        Assert.Equal(["mlp", "bce", "4.0"], Key(trials[1]));
        Assert.Equal(["mlp", "mse", "1.0"], Key(trials[3]));
        Assert.Equal(["cvae", "mse", "7.0"], Key(trials[17]));
    }

    [Fact]
    public void Quick_is_two_one_epoch_trials_of_the_mlp()
    {
        var trials = Expand("quick.yaml");

        Assert.Equal(
            [
                """{"beta":1.0,"epochs":1,"model":"mlp","seed":0,"train_limit":2000}""",
                """{"beta":4.0,"epochs":1,"model":"mlp","seed":0,"train_limit":2000}""",
            ],
            trials.Select(trial => trial.CanonicalJson));
    }

    [Fact]
    public void Random_lr_draws_run_cap_distinct_trials_within_the_bounds_and_stops_by_hyperband()
    {
        var parsed = SweepSpecParser.ParseFile(SweepText.Example("random-lr.yaml"));
        var trials = Propose(parsed.Spec);

        Assert.Equal(20, trials.Count);
        Assert.All(trials, trial => Assert.InRange(trial["lr"].AsNumber!.Value, 1e-4, 1e-2));
        Assert.All(trials, trial => Assert.Contains(trial["batch_size"], new ParameterValue[] { new IntegerValue(64), new IntegerValue(128), new IntegerValue(256) }));
        Assert.Equal([1, 3], Assert.IsType<HyperbandStopper>(parsed.Spec.EarlyTerminate).Milestones);
        Assert.Equal("test.total", parsed.Spec.Metric!.Name);
        Assert.Equal(2, parsed.Notices.Count);
    }

    [Fact]
    public void Bayes_proposes_run_cap_distinct_trials_from_its_domains()
    {
        var spec = SweepSpecParser.ParseFile(SweepText.Example("bayes.yaml")).Spec;
        var trials = Propose(spec);

        Assert.Equal(SearchMethodKind.Bayes, spec.Method);
        Assert.Equal(30, trials.Count);
        Assert.All(trials, trial => Assert.InRange(trial["beta"].AsNumber!.Value, 0.5, 16));
        Assert.All(trials, trial => Assert.InRange(Assert.IsType<IntegerValue>(trial["latent_dim"]).Value, 2, 16));
        Assert.Equal([1, 3], Assert.IsType<HyperbandStopper>(spec.EarlyTerminate).Milestones);
    }

    [Fact]
    public void Every_example_file_parses()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(SweepText.Example("quick.yaml"))!, "*.yaml");

        Assert.True(files.Length >= 5, $"found {files.Length} examples");
        Assert.All(files, file => SweepSpecParser.ParseFile(file));
    }

    private static IReadOnlyList<TrialConfig> Expand(string example)
    {
        var spec = SweepSpecParser.ParseFile(SweepText.Example(example)).Spec;
        return new GridSearch(spec).ExpandAll();
    }

    private static string[] Key(TrialConfig trial) => [trial["model"].ToString()!, trial["loss"].ToString()!, trial["beta"].ToString()!];

    // Each proposal "finishes" with a metric that depends on its config, as a real sweep would.
    private static List<TrialConfig> Propose(SweepSpec spec)
    {
        var history = SearchRun.Propose(SearchMethods.For(spec, seed: 1), config => Math.Abs(Math.Log10(config["lr"].AsNumber!.Value) + 3));

        Assert.Equal(history.Count, history.Select(trial => trial.Config.Hash).Distinct().Count());
        return [.. history.Select(trial => trial.Config)];
    }
}
