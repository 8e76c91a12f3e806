using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary><c>requires</c> in a sweep file: the worker tags of every trial, or of the trials taking some parameter values.</summary>
public sealed class RequiresTests
{
    private const string ModelGrid = "method: grid\nparameters:\n  model:\n    values: [mlp, cnn]\n";

    [Theory]
    [InlineData("requires: gpu\n", new[] { "gpu" })]
    [InlineData("requires: [gpu, big-mem, gpu]\n", new[] { "big-mem", "gpu" })]
    [InlineData("requires: [a100_80g]\n", new[] { "a100_80g" })]
    public void The_sweeps_tags_are_required_of_every_trial(string requires, string[] expected)
    {
        var spec = SweepText.Spec(ModelGrid + requires);

        Assert.Equal(expected, spec.Requires);
        Assert.All(Trials(spec), trial => Assert.Equal(expected, spec.RequiredTags(trial)));
        Assert.Equal(expected, spec.AllRequiredTags);
    }

    [Fact]
    public void A_trial_requires_the_sweeps_tags_and_those_of_its_parameter_values()
    {
        var spec = SweepText.Spec("""
            method: grid
            requires: big-mem
            parameters:
              model:
                values: [mlp, cnn, cvae]
                requires: {cnn: gpu, cvae: [gpu, fast-disk]}
              latent_dim:
                values: [2, 16]
                requires: {16: huge}
            """);

        var required = Trials(spec).ToDictionary(trial => trial.CanonicalJson, trial => string.Join(",", spec.RequiredTags(trial)));

        Assert.Equal("big-mem", required["""{"latent_dim":2,"model":"mlp"}"""]);
        Assert.Equal("big-mem,gpu", required["""{"latent_dim":2,"model":"cnn"}"""]);
        Assert.Equal("big-mem,fast-disk,gpu,huge", required["""{"latent_dim":16,"model":"cvae"}"""]);
        Assert.Equal(["big-mem", "fast-disk", "gpu", "huge"], spec.AllRequiredTags);
    }

    [Fact]
    public void A_sweep_without_requires_needs_no_tag()
    {
        var spec = SweepText.Spec(ModelGrid);

        Assert.Empty(spec.AllRequiredTags);
        Assert.All(Trials(spec), trial => Assert.Empty(spec.RequiredTags(trial)));
        Assert.DoesNotContain("requires", SweepSpecJson.Write(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void The_canonical_json_keeps_the_tags_and_reads_back_to_the_same_spec()
    {
        var spec = SweepText.Spec("""
            method: random
            requires: [big-mem]
            parameters:
              model: {value: cnn, requires: {cnn: gpu}}
              beta: {values: [1, 4.0], requires: {4: [huge, gpu]}}
              lr: {distribution: log_uniform_values, min: 0.0001, max: 0.01}
            """);

        string json = SweepSpecJson.Write(spec);
        var read = SweepSpecJson.Read(json);

        Assert.Contains("""
            "requires":[{"value":4.0,"tags":["gpu","huge"]}]
            """, json, StringComparison.Ordinal);
        Assert.Equal(json, SweepSpecJson.Write(read));
        var trial = spec.CreateTrial([new("model", new StringValue("cnn")), new("beta", new RealValue(4)), new("lr", new RealValue(0.001))]);
        Assert.Equal(["big-mem", "gpu", "huge"], read.RequiredTags(trial));
    }

    [Theory]
    [InlineData("""{"format":1,"method":"grid","parameters":[{"name":"model","distribution":"categorical","values":["mlp"],"requires":[{"value":"cnn","tags":["gpu"]}]}]}""", "spec.parameters[0].requires[0].value: cnn is not one of the parameter's values")]
    [InlineData("""{"format":1,"method":"grid","parameters":[{"name":"model","distribution":"constant","value":"mlp"}],"requires":["GPU"]}""", "spec.requires: expected worker tags")]
    [InlineData("""{"format":1,"method":"grid","parameters":[{"name":"model","distribution":"constant","value":"mlp"}],"requires":[]}""", "spec.requires: expected at least one tag")]
    public void A_stored_spec_with_bad_tags_is_refused_naming_the_path(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SweepSpecJson.Read(json));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData(ModelGrid + "requires: GPU\n", "sweep.yaml:5:11: requires: expected " + WorkerTags.Expected + ", found GPU")]
    [InlineData(ModelGrid + "requires: [gpu, -x]\n", "sweep.yaml:5:17: requires[1]: expected " + WorkerTags.Expected + ", found -x")]
    [InlineData(ModelGrid + "requires: []\n", "sweep.yaml:5:11: requires: expected a worker tag or a non-empty list of them, found an empty list")]
    [InlineData(ModelGrid + "    requires: {cvae: gpu}\n", "sweep.yaml:5:16: parameters.model.requires.cvae: `cvae` is not one of the parameter's values (mlp, cnn); `requires` maps values to worker tags")]
    [InlineData(ModelGrid + "    requires: {cnn: \"GPU!\"}\n", "sweep.yaml:5:21: parameters.model.requires.cnn: expected " + WorkerTags.Expected + ", found \"GPU!\"")]
    [InlineData(ModelGrid + "    requires: gpu\n", "sweep.yaml:5:15: parameters.model.requires: expected a mapping of the parameter's values to worker tags, such as `{cnn: gpu}`, found gpu")]
    [InlineData("method: random\nparameters:\n  beta:\n    min: 1\n    max: 4\n    requires: {2: gpu}\n", "sweep.yaml:6:5: parameters.beta.requires: `requires` names listed values (`value` or `values`), not a distribution's; require a tag of every trial with the sweep's top-level `requires`")]
    public void A_bad_requires_is_an_error_at_its_line_and_column(string yaml, string expected)
    {
        Assert.Equal([expected], SweepText.Errors(yaml));
    }

    [Fact]
    public void Worker_tags_are_lower_case_identifiers_and_their_subsets_are_what_a_worker_may_lease()
    {
        Assert.All(["gpu", "big-mem", "a100_80g", "0"], tag => Assert.True(WorkerTags.IsValid(tag), tag));
        Assert.All(["", "GPU", "-gpu", "_x", "g p u", "gpu,cpu", new string('a', WorkerTags.MaxLength + 1)], tag => Assert.False(WorkerTags.IsValid(tag), tag));
        Assert.Equal(["", "big-mem", "gpu", "big-mem,gpu"], WorkerTags.Subsets(["gpu", "big-mem", "gpu"]));
        Assert.Equal(["big-mem", "gpu"], WorkerTags.Split(WorkerTags.Join(["gpu", "big-mem"])));
        Assert.Equal("a, b and c", WorkerTags.Describe(["c", "a", "b"]));
    }

    private static IReadOnlyList<TrialConfig> Trials(SweepSpec spec) => new GridSearch(spec).ExpandAll();
}
