using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.EarlyStopping;
using SweepRunner.Contracts.Sweeps.Search;
using SweepRunner.Contracts.Tests.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary>The canonical JSON of a parsed spec reads back as the same spec: same JSON, same domains, same trials, same stopping.</summary>
public sealed class SweepSpecJsonTests
{
    // Every distribution kind (as W&B infers it or names it), both value forms, and every sweep-level key.
    private const string EveryDistribution = """
        name: every kind
        description: one parameter per form
        method: random
        metric: {name: val_loss, goal: maximize, target: 120.5}
        run_cap: 40
        dataset: mnist
        epochs: 3
        train_limit: 500
        workers_hint: 2
        free_parameters: [dropout]
        checkpoints: {keep: latest}
        parameters:
          model: {value: cnn}
          loss: {values: [bce, mse], probabilities: [0.25, 0.75]}
          latent_dim: {min: 2, max: 16}
          beta: {min: 0.5, max: 16.0}
          batch_size: {distribution: q_uniform, min: 32, max: 256, q: 32}
          lr: {distribution: log_uniform_values, min: 0.0001, max: 0.01}
          train_limit: {distribution: q_log_uniform_values, min: 100, max: 1000, q: 10}
          x_inverse: {distribution: inv_log_uniform_values, min: 0.1, max: 10}
          x_normal: {distribution: normal, mu: -1.5, sigma: 0.5}
          x_steps: {distribution: q_normal, mu: 10, sigma: 3, q: 2}
          x_scale: {distribution: log_normal, mu: 0, sigma: 1}
          dropout: {values: [0.1, 0.2, true, "x"]}
          x_net:
            parameters:
              width: {values: [64, 128]}
        early_terminate: {type: hyperband, max_iter: 27, eta: 3, s: 2, strict: true}
        """;

    public static TheoryData<string> Examples() =>
        [.. Directory.GetFiles(Path.GetDirectoryName(SweepText.Example("quick.yaml"))!, "*.yaml").Select(file => Path.GetFileName(file))];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_round_trips(string example)
    {
        var spec = SweepSpecParser.ParseFile(SweepText.Example(example)).Spec;

        AssertRoundTrips(spec);
    }

    [Theory]
    [InlineData(EveryDistribution)]
    [InlineData("method: bayes\nmetric: {name: test.kl}\nparameters:\n  beta: {distribution: uniform, min: 1, max: 8}\nearly_terminate: {type: median, min_trials: 3, grace_epochs: 2}\n")]
    [InlineData("method: random\nmetric: {name: test.total}\nparameters:\n  seed: {distribution: int_uniform, min: -5, max: 5}\nearly_terminate: {type: hyperband, min_iter: 2, eta: 2.5}\n")]
    [InlineData("method: grid\nparameters:\n  beta: {values: [1, 2.5, 1e-3]}\n  x_flag: {value: false}\n")]
    public void A_spec_with_every_form_round_trips(string yaml)
    {
        AssertRoundTrips(SweepText.Spec(yaml));
    }

    [Fact]
    public void Every_distribution_kind_and_both_stoppers_are_written()
    {
        var json = SweepSpecJson.Write(SweepText.Spec(EveryDistribution));

        Assert.All(NumericDistribution.KnownNames, name => Assert.Contains($"\"distribution\":\"{name}\"", json, StringComparison.Ordinal));
        Assert.Contains("\"distribution\":\"constant\"", json, StringComparison.Ordinal);
        Assert.Contains("\"early_terminate\":{\"type\":\"hyperband\",\"milestones\":[3,9],\"eta\":3,\"strict\":true}", json, StringComparison.Ordinal);
        Assert.Contains("\"metric\":{\"name\":\"test.total\",\"goal\":\"maximize\",\"target\":120.5}", json, StringComparison.Ordinal);
        Assert.Contains("\"values\":[0.1,0.2,true,\"x\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"checkpoints\":{\"keep\":\"latest\"}", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format":1,"method":"grid","parameters":[{"name":"beta","distribution":"polymorphic","value":1.0}]}""", "spec.parameters[0].distribution")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"early_terminate":{"type":"System.Object"}}""", "spec.early_terminate.type")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"$type":"SweepSpec"}""", "unknown key `$type`")]
    [InlineData("""{"format":2,"method":"grid","parameters":[]}""", "spec.format")]
    [InlineData("""{"format":1,"method":"grid","parameters":[{"name":"beta","distribution":"uniform","min":2,"max":1,"integer_valued":false}]}""", "min < max")]
    [InlineData("""{"format":1,"method":"grid","parameters":[{"name":"beta","distribution":"constant","value":[1]}]}""", "spec.parameters[0].value")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"metric":{"name":"val_loss","goal":"minimize"}}""", "canonical metric name")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"early_terminate":{"type":"hyperband","milestones":[3,1],"eta":3,"strict":false}}""", "ascending")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"checkpoints":{"keep":"newest"}}""", "spec.checkpoints.keep")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"checkpoints":{"keep":"all","every":2}}""", "spec.checkpoints: unknown key `every`")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"trial_timeout":"0s"}""", "spec.trial_timeout: `0s` is not a duration")]
    [InlineData("""{"format":1,"method":"grid","parameters":[],"trial_timeout":"5"}""", "spec.trial_timeout: `5` is not a duration")]
    [InlineData("""[1, 2]""", "expected an object")]
    [InlineData("""{"format":1,""", "not valid JSON")]
    public void Anything_but_a_known_shape_is_refused_naming_where(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SweepSpecJson.Read(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static void AssertRoundTrips(SweepSpec spec)
    {
        var json = SweepSpecJson.Write(spec);
        var read = SweepSpecJson.Read(json);

        Assert.Equal(json, SweepSpecJson.Write(read));
        Assert.Equal((spec.Name, spec.Description, spec.Method, spec.Metric), (read.Name, read.Description, read.Method, read.Metric));
        Assert.Equal((spec.RunCap, spec.Dataset, spec.Epochs, spec.TrainLimit, spec.WorkersHint), (read.RunCap, read.Dataset, read.Epochs, read.TrainLimit, read.WorkersHint));
        Assert.Equal((spec.CheckpointKeep, spec.TrialTimeout), (read.CheckpointKeep, read.TrialTimeout));
        Assert.Equal(spec.Parameters.Select(Describe), read.Parameters.Select(Describe));
        Assert.Equal(spec.EarlyTerminate?.Describe(), read.EarlyTerminate?.Describe());
        Assert.Equal(spec.EarlyTerminate?.GetType(), read.EarlyTerminate?.GetType());
        // The same search over the same domains: the same trials, hash for hash.
        Assert.Equal(Hashes(spec), Hashes(read));
    }

    private static string Describe(SweepParameter parameter) => parameter.Domain switch
    {
        DistributionDomain domain => $"{parameter.Name}: {domain.Describe()} integers {domain.IntegerValued}",
        _ => $"{parameter.Name}: {parameter.Domain.Describe()}",
    };

    private static List<string> Hashes(SweepSpec spec)
    {
        var search = SearchMethods.For(spec, seed: 7);
        var trials = spec.Method == SearchMethodKind.Grid
            ? search.ExpandAll()!
            : SearchRun.Propose(search, config => config.Hash[0], count: 15).Select(trial => trial.Config).ToList();
        return [.. trials.Select(trial => trial.Hash)];
    }
}
