using System.Text;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary>Each bad file is refused with a message that names file, line, column and key path, and what was expected.</summary>
public sealed class SweepSpecBadInputTests
{
    public static TheoryData<string, string> BadFiles => new()
    {
        {
            "method: grid\nparameters:\n\tbeta:\n    values: [1]\n",
            "sweep.yaml:3:1: a tab in the indentation; YAML indents with spaces only"
        },
        {
            "method: grid\nparameters:\n  beta:\n    values: [1]\n  beta:\n    values: [2]\n",
            "sweep.yaml:5:3: parameters.beta: duplicate key `beta` (first at line 3, column 3)"
        },
        {
            "method: grid\nparameter:\n  beta:\n    values: [1]\n",
            "sweep.yaml:2:1: parameter: unknown key `parameter` (did you mean `parameters`?)"
        },
        {
            "method: grid\nfoo: 1\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:2:1: foo: unknown key `foo`; expected one of name, description, method, metric, parameters, early_terminate, run_cap, dataset, epochs, train_limit, workers_hint, free_parameters, checkpoints, trial_timeout, requires, packing"
        },
        {
            "method: random\nrun_cap: 10001\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:2:10: run_cap: expected an integer from 1 to 10000, found 10001"
        },
        {
            "method: random\nworkers_hint: 1025\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:2:15: workers_hint: expected an integer from 1 to 1024, found 1025"
        },
        {
            "method: bayesian\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:1:9: method: expected grid, random or bayes, found bayesian"
        },
        {
            "method: randm\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:1:9: method: expected grid, random or bayes, found randm (did you mean `random`?)"
        },
        {
            "parameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:1:1: missing key `method`; expected grid, random or bayes"
        },
        {
            "method: grid\nparameters:\n  beta:\n    values: [1, 2, -1]\n",
            "sweep.yaml:4:20: parameters.beta.values[2]: expected a number > 0, found -1"
        },
        {
            "method: grid\nparameters:\n  beta:\n    value: 0\n",
            "sweep.yaml:4:12: parameters.beta.value: expected a number > 0, found 0"
        },
        {
            "method: grid\nparameters:\n  beta:\n    values: [1, high]\n",
            "sweep.yaml:4:17: parameters.beta.values[1]: expected a number > 0, found high"
        },
        {
            "method: grid\nparameters:\n  beta:\n    values: [1, \"2\"]\n",
            "sweep.yaml:4:17: parameters.beta.values[1]: expected a number > 0, found \"2\""
        },
        {
            "method: grid\nparameters:\n  beta:\n    value: .nan\n",
            "sweep.yaml:4:12: parameters.beta.value: expected a number > 0, found .nan"
        },
        {
            "method: random\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.1\n    max: 0.001\n",
            "sweep.yaml:5:10: parameters.lr.min: expected min < max, found min 0.1 and max 0.001"
        },
        {
            "method: grid\nparameters:\n  beta:\n    values: []\n",
            "sweep.yaml:4:13: parameters.beta.values: expected a non-empty list, found an empty list"
        },
        {
            "method: random\nparameters:\n  model:\n    values: [mlp, cnn]\n    probabilities: [0.5, 0.4]\n",
            "sweep.yaml:5:20: parameters.model.probabilities: expected probabilities that sum to 1, found a sum of 0.9"
        },
        {
            "method: random\nparameters:\n  model:\n    values: [mlp, cnn]\n    probabilities: [1]\n",
            "sweep.yaml:5:20: parameters.model.probabilities: expected 2 probabilities, one per value, found 1"
        },
        {
            "method: random\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0\n    max: 0.1\n",
            "sweep.yaml:5:10: parameters.lr.min: expected a number > 0 (log_uniform_values takes its log), found 0"
        },
        {
            "method: random\nparameters:\n  lr:\n    distribution: log_uniform\n    min: -9\n    max: -2\n",
            "sweep.yaml:4:19: parameters.lr.distribution: distribution log_uniform is not supported: W&B's log_uniform takes min/max as natural logs; write log_uniform_values with the values themselves"
        },
        {
            "method: grid\nparameters:\n  x_cmd:\n    value: !!python/object/apply:os.system [\"rm -rf /\"]\n",
            "sweep.yaml:4:12: parameters.x_cmd.value: tag !!python/object/apply:os.system refused: only the core-schema tags !!str, !!int, !!float, !!bool and !!null are supported, on scalars; quote a value to make it a string"
        },
        {
            "method: grid\nparameters:\n  beta: !Beta {values: [1]}\n",
            "sweep.yaml:3:9: parameters.beta: tag !Beta refused: only the core-schema tags !!str, !!int, !!float, !!bool and !!null are supported, on scalars; quote a value to make it a string"
        },
        {
            "method: grid\nparameters:\n  betta:\n    values: [1, 2]\n",
            "sweep.yaml:3:3: parameters.betta: unknown parameter `betta` (did you mean `beta`?); the trainer takes model, loss, beta, latent_dim, epochs, batch_size, lr, optimizer, seed, train_limit or dataset; name a free-form parameter `x_…` or list it under `free_parameters`"
        },
        {
            "method: grid\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.01\n",
            "sweep.yaml:4:19: parameters.lr.distribution: grid search enumerates `value` and `values` only, found distribution log_uniform_values; list the values, or use method random or bayes"
        },
        {
            "method: grid\nmetric:\n  name: test.totl\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:3:9: metric.name: unknown metric `test.totl` (did you mean `test.total`?); expected test.total, test.recon, test.kl, train.total, train.recon, train.kl, iwae_nll or active_units (or an alias: loss, val_loss, test/total, test/recon, test/kl, train/total, train/recon, train/kl)"
        },
        {
            "method: grid\nmetric:\n  name: test.total\n  goal: minimise\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:4:9: metric.goal: expected minimize or maximize, found minimise (did you mean `minimize`?)"
        },
        {
            "method: random\nrun_cap: 0\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:2:10: run_cap: expected an integer from 1 to 10000, found 0"
        },
        {
            "method: random\nrun_cap: 10\nmetric: {name: test.total}\nearly_terminate:\n  type: hyperband\n  min_iter: 1\n  eta: 1\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:7:8: early_terminate.eta: expected a number > 1, found 1"
        },
        {
            "method: grid\nparameters:\n  model:\n    values: [mlp, transformer]\n",
            "sweep.yaml:4:19: parameters.model.values[1]: expected mlp, cnn or cvae, found transformer"
        },
        {
            "method: grid\nparameters:\n  beta:\n    vaules: [1, 2]\n",
            "sweep.yaml:4:5: parameters.beta.vaules: unknown key `vaules` (did you mean `values`?)"
        },
        {
            "method: grid\nparameters:\n  beta:\n    va1ues: [1, 2]\n",
            "sweep.yaml:4:5: parameters.beta.va1ues: unknown key `va1ues` (did you mean `values`?)"
        },
        {
            "method: grid\nparameters:\n  beta:\n    values: [1, 2, 1.0]\n",
            "sweep.yaml:4:20: parameters.beta.values[2]: duplicate of values[0] (1.0); a value is tried once"
        },
        {
            "method: grid\nparameters:\n  beta: 4\n",
            "sweep.yaml:3:9: parameters.beta: expected a mapping with `value`, `values` or `distribution`, found 4 (write `beta: {value: 4}`)"
        },
        {
            "method: random\nparameters:\n  beta:\n    values: [1, 2]\n    min: 1\n",
            "sweep.yaml:5:5: parameters.beta.min: `min` does not apply to categorical, which takes `values`, `probabilities`"
        },
        {
            "method: random\nparameters:\n  epochs:\n    distribution: uniform\n    min: 1\n    max: 5\n",
            "sweep.yaml:4:19: parameters.epochs.distribution: uniform yields fractions; expected an integer >= 1 (use int_uniform, or a q_ distribution with an integer q)"
        },
        {
            "method: random\nparameters:\n  epochs:\n    distribution: int_uniform\n    min: 0\n    max: 5\n",
            "sweep.yaml:5:10: parameters.epochs.min: int_uniform can yield 0; expected an integer >= 1"
        },
        {
            "method: random\nparameters:\n  beta:\n    distribution: uniform\n    min: 0\n    max: 4\n",
            "sweep.yaml:5:10: parameters.beta.min: uniform can yield 0; expected a number > 0"
        },
        {
            "method: random\nparameters:\n  beta:\n    distribution: normal\n    mu: 4\n",
            "sweep.yaml:4:19: parameters.beta.distribution: normal can yield any number; expected a number > 0 (log_normal and log_uniform_values stay positive)"
        },
        {
            "method: random\nparameters:\n  lr:\n    distribution: uniform\n",
            "sweep.yaml:4:5: parameters.lr: missing key `min`: uniform needs `min` and `max`"
        },
        {
            "method: random\nparameters:\n  x_dropout:\n    values: [0.1, .nan]\n",
            "sweep.yaml:4:19: parameters.x_dropout.values[1]: expected a string, a finite number, true or false, found .nan"
        },
        {
            "method: grid\nparameters:\n  x.y:\n    value: 1\n",
            "sweep.yaml:3:3: parameters.x.y: a parameter name may not contain `.`; nest parameters under `parameters:` instead"
        },
        {
            "method: bayes\nparameters:\n  beta: {values: [1, 2]}\n",
            "sweep.yaml:1:9: method: bayes models the metric; add `metric: {name: test.total, goal: minimize}`"
        },
        {
            "method: random\nearly_terminate: {type: hyperband, min_iter: 1}\nparameters:\n  beta: {values: [1, 2]}\n",
            "sweep.yaml:2:1: early_terminate: early stopping compares trials by the metric; add `metric: {name: test.total, goal: minimize}`"
        },
        {
            "method: random\nmetric: {name: test.total}\nearly_terminate: {type: hyperband, min_iter: 1, max_iter: 9}\nparameters:\n  beta: {values: [1, 2]}\n",
            "sweep.yaml:3:49: early_terminate: hyperband takes either `min_iter` (the first milestone epoch) or `max_iter` with `s` (W&B's two forms), not both or neither"
        },
        {
            "method: random\nmetric: {name: test.total}\nearly_terminate: {type: hyperband, max_iter: 9}\nparameters:\n  beta: {values: [1, 2]}\n",
            "sweep.yaml:3:18: early_terminate: missing key `s`; expected the number of brackets below `max_iter`"
        },
        {
            "method: random\nmetric: {name: test.total}\nearly_terminate: {type: asha}\nparameters:\n  beta: {values: [1, 2]}\n",
            "sweep.yaml:3:25: early_terminate.type: expected hyperband or median, found asha"
        },
        {
            "method: grid\nepochs: 0\nparameters:\n  beta: {values: [1]}\n",
            "sweep.yaml:2:9: epochs: expected an integer >= 1, found 0"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\n---\nmethod: random\n",
            "sweep.yaml:4:1: a second YAML document; a sweep file holds exactly one"
        },
        {
            "# nothing but a comment\n",
            "sweep.yaml:2:1: the file is empty; expected a mapping with `method` and `parameters`"
        },
        {
            "method: grid\nparameters: {}\n",
            "sweep.yaml:2:13: parameters: expected at least one parameter, found an empty mapping"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\nrun_cap: 1.5\n",
            "sweep.yaml:4:10: run_cap: expected an integer from 1 to 10000, found 1.5"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\ncheckpoints:\n  keep: newest\n",
            "sweep.yaml:5:9: checkpoints.keep: expected latest, best or all, found newest"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\ncheckpoints: {keep: lastest}\n",
            "sweep.yaml:4:21: checkpoints.keep: expected latest, best or all, found lastest (did you mean `latest`?)"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\ncheckpoints: best\n",
            "sweep.yaml:4:14: checkpoints: expected a mapping such as `{keep: best}`, found best"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\ncheckpoints: {}\n",
            "sweep.yaml:4:14: checkpoints: missing key `keep`; expected latest, best or all"
        },
        {
            "method: grid\nparameters:\n  beta: {values: [1]}\ncheckpoints: {keep: all, every: 2}\n",
            "sweep.yaml:4:26: checkpoints.every: unknown key `every`; expected one of keep"
        },
        {
            "- method: grid\n",
            "sweep.yaml:1:1: expected a mapping of sweep keys (method, parameters, …), found a list"
        },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_is_refused_naming_file_line_column_path_and_what_was_expected(string yaml, string expected)
    {
        var errors = SweepText.Errors(yaml);

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void Run_cap_and_workers_hint_at_their_limits_are_taken()
    {
        var spec = SweepText.Spec($"method: random\nrun_cap: {SweepSpec.MaxRunCap}\nworkers_hint: {SweepSpec.MaxWorkersHint}\nparameters:\n  beta: {{values: [1]}}\n");

        Assert.Equal((10_000, 1_024), (spec.RunCap, spec.WorkersHint));
    }

    [Fact]
    public void Malformed_yaml_names_the_line_and_the_key_being_read()
    {
        var errors = SweepText.Errors("method: grid\nparameters:\n  beta: {values: [1, 2}\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("sweep.yaml:3:", error, StringComparison.Ordinal);
        Assert.Contains("parameters.beta.values", error, StringComparison.Ordinal);
        Assert.Contains("malformed YAML:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_is_refused_at_its_first_anchor_without_expanding_anything()
    {
        var yaml = new StringBuilder("method: grid\nparameters:\n  x_a: {value: 1}\nlol0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (int level = 1; level <= 9; level++)
        {
            yaml.Append($"lol{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        var errors = SweepText.Errors(yaml.ToString());

        Assert.Equal(
            "sweep.yaml:4:7: lol0: anchor &a0 refused: YAML anchors and aliases are not supported (they let a small file expand without bound); write the value out",
            errors[0]);
        Assert.Contains("sweep.yaml:5:12: lol1[0]: alias *a0 refused: YAML anchors and aliases are not supported (they let a small file expand without bound); write the value out", errors);
    }

    [Fact]
    public void File_over_one_mebibyte_is_refused_before_it_is_parsed()
    {
        var yaml = "method: grid\nparameters:\n  beta: {values: [1]}\n" + new string('#', (int)(1.1 * 1024 * 1024)) + "\n";

        var error = Assert.Single(SweepText.Errors(yaml));

        Assert.Equal($"sweep.yaml:1:1: the file is {Encoding.UTF8.GetByteCount(yaml):N0} bytes, over the limit of 1 MiB (1,048,576 bytes)", error);
    }

    [Fact]
    public void File_over_one_mebibyte_on_disk_is_refused_by_its_size()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sweeprunner-{Guid.NewGuid():N}.yaml");
        File.WriteAllBytes(path, new byte[SweepSpecParser.MaxFileBytes + 1]);
        try
        {
            var exception = Assert.Throws<SweepSpecException>(() => SweepSpecParser.ParseFile(path));

            Assert.Equal($"{path}:1:1: the file is 1,048,577 bytes, over the limit of 1 MiB (1,048,576 bytes)", Assert.Single(exception.Errors).ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Grid_over_the_cap_says_its_size()
    {
        var values = string.Join(", ", Enumerable.Range(1, 30));
        var yaml = $"method: grid\nparameters:\n  beta: {{values: [{values}]}}\n  seed: {{values: [{values}]}}\n  latent_dim: {{values: [{values}]}}\n";

        var error = Assert.Single(SweepText.Errors(yaml));

        Assert.Equal("sweep.yaml:2:1: parameters: the grid has 27,000 trials (30 × 30 × 30), over the limit of 10,000; use fewer values, or method random with run_cap", error);
    }

    [Fact]
    public void Nesting_beyond_the_depth_limit_is_refused()
    {
        var yaml = "method: grid\nparameters:\n  x_deep: {value: 1}\nx_nested: " + new string('[', 40) + new string(']', 40) + "\n";

        var errors = SweepText.Errors(yaml);

        Assert.Contains(errors, error => error.EndsWith("nested more than 32 levels deep", StringComparison.Ordinal) && error.StartsWith("sweep.yaml:4:", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_in_file_order()
    {
        const string Yaml = """
            method: grid
            run_cap: -3
            parameters:
              beta:
                values: [0, 2]
              model:
                values: [mlp, rnn]
            """;

        var errors = SweepText.Errors(Yaml);

        Assert.Equal(
            [
                "sweep.yaml:2:10: run_cap: expected an integer from 1 to 10000, found -3",
                "sweep.yaml:5:14: parameters.beta.values[0]: expected a number > 0, found 0",
                "sweep.yaml:7:19: parameters.model.values[1]: expected mlp, cnn or cvae, found rnn",
            ],
            errors);
    }

    [Fact]
    public void Error_lines_read_as_compiler_messages()
    {
        var error = new SpecError("beta.yaml", 7, 5, "parameters.beta.values[2]", "expected a number > 0, found -1");

        Assert.Equal("beta.yaml:7:5: parameters.beta.values[2]: expected a number > 0, found -1", error.ToString());
    }
}
