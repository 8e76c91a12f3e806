namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// Sweep files that <c>sweep submit</c> refuses: exit 2 with the file, line, column and field of the problem, and the
/// coordinator's store as it was. Rows of the bad-input catalogue (docs/reliability.md).
/// </summary>
public sealed class SweepFileBadInputTests(CatalogueCoordinator coordinator) : IClassFixture<CatalogueCoordinator>, IDisposable
{
    private readonly TempDirectory temp = new();

    public static TheoryData<string, string, string> Files => new()
    {
        { "syntax.yaml", "name: x\nmethod: grid\nparameters:\n  beta: {values: [1, 4]\n", "syntax.yaml:5:1: parameters.beta.values[1]: malformed YAML: While parsing a flow mapping" },
        { "typo.yaml", "name: x\nmethod: grid\nparamters:\n  beta:\n    values: [1, 4]\n", "typo.yaml:3:1: paramters: unknown key `paramters` (did you mean `parameters`?)" },
        { "method.yaml", "name: x\nmethod: grid2\nparameters:\n  beta:\n    values: [1, 4]\n", "method.yaml:2:9: method: expected grid, random or bayes, found grid2 (did you mean `grid`?)" },
        { "goal.yaml", "name: x\nmethod: grid\nmetric:\n  name: test.total\n  goal: lowest\nparameters:\n  beta:\n    values: [1, 4]\n", "goal.yaml:5:9: metric.goal: expected minimize or maximize, found lowest" },
        { "empty-values.yaml", "name: x\nmethod: grid\nparameters:\n  beta:\n    values: []\n", "empty-values.yaml:5:13: parameters.beta.values: expected a non-empty list, found an empty list" },
        { "min-max.yaml", "name: x\nmethod: random\nrun_cap: 4\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0.01\n    max: 0.001\n", "min-max.yaml:7:10: parameters.lr.min: expected min < max, found min 0.01 and max 0.001" },
        { "log-zero.yaml", "name: x\nmethod: random\nrun_cap: 2\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0\n    max: 0.1\n", "log-zero.yaml:7:10: parameters.lr.min: expected a number > 0 (log_uniform_values takes its log), found 0" },
        { "parameter.yaml", "name: x\nmethod: grid\nparameters:\n  betta:\n    values: [1, 4]\n", "parameter.yaml:4:3: parameters.betta: unknown parameter `betta` (did you mean `beta`?)" },
        { "beta.yaml", "name: x\nmethod: grid\nparameters:\n  beta:\n    values: [1, -4]\n", "beta.yaml:5:17: parameters.beta.values[1]: expected a number > 0, found -4" },
        { "model.yaml", "name: x\nmethod: grid\nparameters:\n  model:\n    value: rnn\n", "model.yaml:5:12: parameters.model.value: expected mlp, cnn or cvae, found rnn" },
        { "epochs.yaml", "name: x\nmethod: grid\nepochs: 0\nparameters:\n  beta:\n    value: 1\n", "epochs.yaml:3:9: epochs: expected an integer >= 1, found 0" },
        { "duplicate.yaml", "name: x\nmethod: grid\nmethod: random\nparameters:\n  beta:\n    value: 1\n", "duplicate.yaml:3:1: method: duplicate key `method` (first at line 2, column 1)" },
        { "tag.yaml", "name: x\nmethod: grid\nparameters:\n  beta:\n    value: !!python/object:os.system echo\n", "tag.yaml:5:12: parameters.beta.value: tag !!python/object:os.system refused: only the core-schema tags" },
        { "alias.yaml", "name: &n x\ndescription: *n\nmethod: grid\nparameters:\n  beta:\n    value: 1\n", "alias.yaml:1:7: name: anchor &n refused: YAML anchors and aliases are not supported" },
        { "empty.yaml", "", "empty.yaml:1:1: the file is empty; expected a mapping with `method` and `parameters`" },
        { "tab.yaml", "name: x\nmethod: grid\nparameters:\n\tbeta:\n    value: 1\n", "tab.yaml:4:1: a tab in the indentation; YAML indents with spaces only" },
        { "bayes.yaml", "name: x\nmethod: bayes\nparameters:\n  beta:\n    values: [1, 4]\n", "bayes.yaml:2:9: method: bayes models the metric; add `metric: {name: test.total, goal: minimize}`" },
        { "requires-value.yaml", "name: x\nmethod: grid\nparameters:\n  model:\n    values: [mlp, cnn]\n    requires: {cvae: gpu}\n", "requires-value.yaml:6:16: parameters.model.requires.cvae: `cvae` is not one of the parameter's values (mlp, cnn)" },
        { "requires-tag.yaml", "name: x\nmethod: grid\nrequires: GPU\nparameters:\n  beta:\n    value: 1\n", "requires-tag.yaml:3:11: requires: expected a lower-case tag: a letter or digit, then letters, digits, `-` or `_`, at most 32 characters, found GPU" },
        { "packing.yaml", "name: x\nmethod: grid\npacking: on\nparameters:\n  beta:\n    values: [1, 4]\n", "packing.yaml:3:10: packing: expected off or auto, found on" },
        { "grid.yaml", GridOf(100, "seed", "beta", "latent_dim"), "grid.yaml:3:1: parameters: the grid has 1,000,000 trials (100 × 100 × 100), over the limit of 10,000" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_bad_sweep_file_is_refused_with_its_place_and_nothing_is_stored(string name, string yaml, string expected)
    {
        string path = temp.File(name);
        await File.WriteAllTextAsync(path, yaml);
        var before = await StoreSnapshot.TakeAsync(coordinator.Services);

        var result = await Sweep.RunAsync("--coordinator", coordinator.Url, "submit", path);

        CommandAssert.BadInput(result, expected);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(coordinator.Services));
    }

    [Fact]
    public async Task A_sweep_file_that_does_not_exist_is_refused_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(coordinator.Services);

        var result = await Sweep.RunAsync("--coordinator", coordinator.Url, "submit", temp.File("absent.yaml"));

        CommandAssert.BadInput(result, "absent.yaml: file not found");
        Assert.Equal(before, await StoreSnapshot.TakeAsync(coordinator.Services));
    }

    public void Dispose() => temp.Dispose();

    /// <summary>A grid of <paramref name="size"/> values for each of <paramref name="parameters"/>.</summary>
    private static string GridOf(int size, params string[] parameters) =>
        "name: x\nmethod: grid\nparameters:\n" + string.Concat(parameters.Select(parameter => $"  {parameter}:\n    values: [{string.Join(", ", Enumerable.Range(1, size))}]\n"));
}
