using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.EarlyStopping;

namespace SweepRunner.Contracts.Tests.Sweeps;

public sealed class SweepSpecParserTests
{
    [Fact]
    public void Reads_the_top_level_keys_and_keeps_parameters_in_declaration_order()
    {
        var spec = SweepText.Spec("""
            name: betas
            description: the book's β sweep
            method: grid
            metric: {name: test.kl, goal: maximize, target: 12.5}
            run_cap: 3
            dataset: fashion
            epochs: 5
            train_limit: 2000
            workers_hint: 2
            parameters:
              seed: {value: 7}
              model: {values: [mlp, cnn]}
              beta: {values: [1, 4]}
            """);

        Assert.Equal("betas", spec.Name);
        Assert.Equal("the book's β sweep", spec.Description);
        Assert.Equal(SearchMethodKind.Grid, spec.Method);
        Assert.Equal(new MetricSpec("test.kl", MetricGoal.Maximize, 12.5), spec.Metric);
        Assert.Equal((3, "fashion", 5, 2000, 2), (spec.RunCap, spec.Dataset, spec.Epochs, spec.TrainLimit, spec.WorkersHint));
        Assert.Equal(["seed", "model", "beta"], spec.Parameters.Select(parameter => parameter.Name));
        Assert.Null(spec.EarlyTerminate);
    }

    [Theory]
    [InlineData("latest", CheckpointKeep.Latest)]
    [InlineData("best", CheckpointKeep.Best)]
    [InlineData("all", CheckpointKeep.All)]
    public void Checkpoints_keep_is_read(string written, CheckpointKeep expected)
    {
        var spec = SweepText.Spec($"method: grid\nparameters:\n  beta: {{values: [1]}}\ncheckpoints:\n  keep: {written}\n");

        Assert.Equal(expected, spec.CheckpointKeep);
    }

    [Fact]
    public void Without_checkpoints_the_spec_leaves_retention_to_the_coordinator()
    {
        var spec = SweepText.Spec("method: grid\nparameters:\n  beta: {values: [1]}\n");

        Assert.Null(spec.CheckpointKeep);
    }

    [Fact]
    public void Metric_goal_defaults_to_minimize()
    {
        var spec = SweepText.Spec("method: random\nmetric: {name: iwae_nll}\nparameters:\n  beta: {values: [1]}\n");

        Assert.Equal(new MetricSpec("iwae_nll", MetricGoal.Minimize, null), spec.Metric);
    }

    [Theory]
    [InlineData("val_loss", "test.total")]
    [InlineData("loss", "train.total")]
    [InlineData("test/kl", "test.kl")]
    public void Metric_alias_is_read_as_its_canonical_name_with_a_notice(string alias, string canonical)
    {
        var parsed = SweepText.Parse($"method: random\nmetric:\n  name: {alias}\nparameters:\n  beta: {{values: [1]}}\n");

        Assert.Equal(canonical, parsed.Spec.Metric!.Name);
        Assert.Equal($"sweep.yaml:3:9: metric.name: `{alias}` is read as `{canonical}`", Assert.Single(parsed.Notices).ToString());
    }

    [Fact]
    public void Wandb_program_command_entity_project_and_controller_are_ignored_with_notices()
    {
        var parsed = SweepText.Parse("""
            program: train.py
            command:
              - ${env}
              - python
              - ${program}
            entity: me
            project: vae
            controller: {type: local}
            method: grid
            parameters:
              beta: {values: [1]}
            """);

        Assert.Equal(
            [
                "sweep.yaml:1:1: program: ignored: SweepRunner trains its VAEs itself; there is no program to launch",
                "sweep.yaml:2:1: command: ignored: SweepRunner trains its VAEs itself; there is no command to run",
                "sweep.yaml:6:1: entity: ignored: a W&B account setting",
                "sweep.yaml:7:1: project: ignored: a W&B account setting",
                "sweep.yaml:8:1: controller: ignored: SweepRunner's coordinator schedules the trials",
            ],
            parsed.Notices.Select(notice => notice.ToString()));
    }

    [Fact]
    public void Trainer_parameters_get_their_types_whatever_the_yaml_looks_like()
    {
        var spec = SweepText.Spec("""
            method: grid
            parameters:
              beta: {values: [1, 2.5]}
              lr: {value: 1e-3}
              latent_dim: {value: 8}
              model: {value: cvae}
              dataset: {value: "123"}
            """);

        Assert.Equal([new RealValue(1), new RealValue(2.5)], Domain<CategoricalDomain>(spec, "beta").Values);
        Assert.Equal(new RealValue(0.001), Domain<ConstantDomain>(spec, "lr").Value);
        Assert.Equal(new IntegerValue(8), Domain<ConstantDomain>(spec, "latent_dim").Value);
        Assert.Equal(new StringValue("cvae"), Domain<ConstantDomain>(spec, "model").Value);
        Assert.Equal(new StringValue("123"), Domain<ConstantDomain>(spec, "dataset").Value);
    }

    [Fact]
    public void Free_form_parameters_are_typed_as_yaml_1_2_reads_them()
    {
        var spec = SweepText.Spec("""
            method: grid
            parameters:
              x_mixed: {values: [true, 3, 0.5, 1e-3, "4", yes, ~x]}
            """);

        Assert.Equal(
            [new BooleanValue(true), new IntegerValue(3), new RealValue(0.5), new RealValue(0.001), new StringValue("4"), new StringValue("yes"), new StringValue("~x")],
            Domain<CategoricalDomain>(spec, "x_mixed").Values);
    }

    [Fact]
    public void Parameters_listed_as_free_form_are_accepted_with_their_nested_names()
    {
        var spec = SweepText.Spec("""
            method: grid
            free_parameters: [dropout, optim]
            parameters:
              dropout: {values: [0.1, 0.2]}
              optim:
                parameters:
                  momentum: {value: 0.9}
            """);

        Assert.Equal(["dropout", "optim.momentum"], spec.Parameters.Select(parameter => parameter.Name));
    }

    [Fact]
    public void Nested_parameters_flatten_to_dotted_names_in_order()
    {
        var spec = SweepText.Spec("""
            method: grid
            parameters:
              beta: {value: 1}
              x_net:
                parameters:
                  width: {values: [64, 128]}
                  act:
                    parameters:
                      kind: {value: relu}
              seed: {value: 0}
            """);

        Assert.Equal(["beta", "x_net.width", "x_net.act.kind", "seed"], spec.Parameters.Select(parameter => parameter.Name));
    }

    [Theory]
    [InlineData("{min: 1, max: 8}", DistributionKind.IntUniform)]
    [InlineData("{min: 1, max: 8.0}", DistributionKind.Uniform)]
    [InlineData("{min: 0.5, max: 8}", DistributionKind.Uniform)]
    public void Min_and_max_without_a_distribution_infer_it_as_wandb_does(string form, DistributionKind expected)
    {
        var spec = SweepText.Spec($"method: random\nparameters:\n  beta: {form}\n");

        Assert.Equal(expected, Domain<DistributionDomain>(spec, "beta").Distribution.Kind);
    }

    [Theory]
    [InlineData("x_v", "{distribution: int_uniform, min: -2, max: 3}", "int_uniform [-2, 3]", true)]
    [InlineData("x_v", "{distribution: uniform, min: -1, max: 1}", "uniform [-1, 1]", false)]
    [InlineData("x_v", "{distribution: q_uniform, min: 0, max: 10, q: 2.5}", "q_uniform [0, 10] q 2.5", false)]
    [InlineData("lr", "{distribution: log_uniform_values, min: 1e-5, max: 0.01}", "log_uniform_values [1E-05, 0.01]", false)]
    [InlineData("batch_size", "{distribution: q_log_uniform_values, min: 32, max: 512, q: 32}", "q_log_uniform_values [32, 512] q 32", true)]
    [InlineData("lr", "{distribution: inv_log_uniform_values, min: 1e-4, max: 0.1}", "inv_log_uniform_values [0.0001, 0.1]", false)]
    [InlineData("x_v", "{distribution: normal}", "normal mu 0 sigma 1", false)]
    [InlineData("x_v", "{distribution: q_normal, mu: 10, sigma: 2, q: 1}", "q_normal mu 10 sigma 2 q 1", false)]
    [InlineData("beta", "{distribution: log_normal, mu: 1, sigma: 0.5}", "log_normal mu 1 sigma 0.5", false)]
    [InlineData("beta", "{distribution: int_uniform, min: 1, max: 8}", "int_uniform [1, 8]", false)]
    public void Every_supported_distribution_parses_with_its_parameters(string name, string form, string described, bool integers)
    {
        var spec = SweepText.Spec($"method: random\nparameters:\n  {name}: {form}\n");

        var domain = Domain<DistributionDomain>(spec, name);
        Assert.Equal(described, domain.Describe());
        Assert.Equal(integers, domain.IntegerValued);
    }

    [Fact]
    public void Constant_and_categorical_distributions_are_value_and_values()
    {
        var spec = SweepText.Spec("""
            method: grid
            parameters:
              model: {distribution: constant, value: cnn}
              loss: {distribution: categorical, values: [bce, mse]}
            """);

        Assert.Equal(new StringValue("cnn"), Domain<ConstantDomain>(spec, "model").Value);
        Assert.Equal("values: bce, mse", Domain<CategoricalDomain>(spec, "loss").Describe());
    }

    [Fact]
    public void Probabilities_are_kept_for_random_and_ignored_with_a_notice_by_grid()
    {
        const string Parameters = "parameters:\n  model:\n    values: [mlp, cnn, cvae]\n    probabilities: [0.5, 0.25, 0.25]\n";

        var random = SweepText.Parse("method: random\n" + Parameters);
        var grid = SweepText.Parse("method: grid\n" + Parameters);

        Assert.Equal([0.5, 0.25, 0.25], Domain<CategoricalDomain>(random.Spec, "model").Probabilities!);
        Assert.Empty(random.Notices);
        Assert.Equal("sweep.yaml:5:5: parameters.model.probabilities: ignored by grid search, which tries every value once", Assert.Single(grid.Notices).ToString());
    }

    [Fact]
    public void Sweep_level_key_set_again_by_a_parameter_gets_a_notice()
    {
        var parsed = SweepText.Parse("method: grid\nepochs: 3\nparameters:\n  epochs: {values: [1, 2]}\n");

        Assert.Equal("sweep.yaml:2:1: epochs: overridden in every trial by parameters.epochs", Assert.Single(parsed.Notices).ToString());
    }

    [Fact]
    public void Grid_with_a_run_cap_below_its_size_gets_a_notice()
    {
        var parsed = SweepText.Parse("method: grid\nrun_cap: 2\nparameters:\n  beta: {values: [1, 2, 4]}\n");

        Assert.Equal("sweep.yaml:2:10: run_cap: run_cap 2: only the first 2 of the 3 grid trials run", Assert.Single(parsed.Notices).ToString());
    }

    [Fact]
    public void Hyperband_min_iter_form_gives_milestones_growing_by_eta()
    {
        var spec = SweepText.Spec("method: random\nmetric: {name: test.total}\nearly_terminate: {type: hyperband, min_iter: 2, eta: 3, s: 3}\nparameters:\n  beta: {values: [1]}\n");

        var stopper = Assert.IsType<HyperbandStopper>(spec.EarlyTerminate);
        Assert.Equal([2, 6, 18], stopper.Milestones);
        Assert.False(stopper.Strict);
    }

    [Fact]
    public void Hyperband_max_iter_form_and_strict_are_read()
    {
        var spec = SweepText.Spec("method: random\nmetric: {name: test.total}\nearly_terminate: {type: hyperband, max_iter: 27, s: 2, strict: true}\nparameters:\n  beta: {values: [1]}\n");

        var stopper = Assert.IsType<HyperbandStopper>(spec.EarlyTerminate);
        Assert.Equal([3, 9], stopper.Milestones);
        Assert.Equal(3, stopper.Eta);
        Assert.True(stopper.Strict);
    }

    [Fact]
    public void Median_stopping_takes_its_defaults_or_the_given_values()
    {
        const string Rest = "parameters:\n  beta: {values: [1]}\n";
        var defaults = SweepText.Spec("method: random\nmetric: {name: test.total}\nearly_terminate: {type: median}\n" + Rest);
        var given = SweepText.Spec("method: random\nmetric: {name: test.total}\nearly_terminate: {type: median, min_trials: 3, grace_epochs: 0}\n" + Rest);

        var stopper = Assert.IsType<MedianStopper>(defaults.EarlyTerminate);
        Assert.Equal((MedianStopper.DefaultMinTrials, MedianStopper.DefaultGraceEpochs), (stopper.MinTrials, stopper.GraceEpochs));
        Assert.Equal((3, 0), (((MedianStopper)given.EarlyTerminate!).MinTrials, ((MedianStopper)given.EarlyTerminate!).GraceEpochs));
    }

    [Fact]
    public void Hyperband_max_iter_that_leaves_no_milestone_is_an_error()
    {
        var errors = SweepText.Errors("method: random\nmetric: {name: test.total}\nearly_terminate: {type: hyperband, max_iter: 2, s: 2}\nparameters:\n  beta: {values: [1]}\n");

        Assert.Equal("sweep.yaml:3:46: early_terminate.max_iter: max_iter 2 divided by eta 3 is below 1: no milestone is left; raise max_iter or lower eta", Assert.Single(errors));
    }

    private static T Domain<T>(SweepSpec spec, string name)
        where T : ParameterDomain => Assert.IsType<T>(spec.Parameters.Single(parameter => parameter.Name == name).Domain);
}
