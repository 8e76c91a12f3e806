using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary><c>packing: auto|off</c> in a sweep file, stored with the sweep, and the one rule of which trials pack.</summary>
public sealed class PackingTests
{
    private const string Grid = "method: grid\nparameters:\n  beta: {values: [1, 4]}\n";

    [Theory]
    [InlineData("packing: auto\n", PackingMode.Auto)]
    [InlineData("packing: off\n", PackingMode.Off)]
    [InlineData("", PackingMode.Off)]
    public void The_key_is_read_and_stored_with_the_sweep(string line, PackingMode expected)
    {
        var spec = SweepText.Spec(Grid + line);
        string stored = SweepSpecJson.Write(spec);

        Assert.Equal(expected, spec.Packing);
        Assert.Equal(expected, SweepSpecJson.Read(stored).Packing);
        Assert.Equal(expected == PackingMode.Auto, stored.Contains("\"packing\":\"auto\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_spec_stored_before_the_key_existed_reads_as_off()
    {
        const string stored = """{"format":1,"method":"grid","parameters":[{"name":"beta","distribution":"categorical","values":[1.0,4.0]}]}""";

        Assert.Equal(PackingMode.Off, SweepSpecJson.Read(stored).Packing);
        Assert.Equal(stored, SweepSpecJson.Write(SweepSpecJson.Read(stored)));
    }

    [Theory]
    [InlineData("packing: on", "sweep.yaml:4:10: packing: expected off or auto, found on")]
    [InlineData("packing: true", "sweep.yaml:4:10: packing: expected off or auto, found true")]
    [InlineData("packing: {mode: auto}", "sweep.yaml:4:10: packing: expected off or auto, found a mapping")]
    public void Any_other_value_is_an_error_at_its_position(string line, string expected)
    {
        Assert.Equal([expected], SweepText.Errors(Grid + line + "\n"));
    }

    [Fact]
    public void A_stored_spec_with_another_value_is_refused()
    {
        const string stored = """{"format":1,"method":"grid","parameters":[],"packing":"always"}""";

        var error = Assert.Throws<FormatException>(() => SweepSpecJson.Read(stored));

        Assert.Equal("spec.packing: `always` is not one of off, auto", error.Message);
    }

    [Fact]
    public void Mlp_trials_equal_but_for_beta_share_a_key_and_any_other_difference_parts_them()
    {
        var spec = SweepText.Spec("""
            method: grid
            packing: auto
            epochs: 2
            parameters:
              beta: {values: [0.5, 1, 2, 4]}
              seed: {values: [0, 1]}
            """);
        var trials = new GridSearch(spec).ExpandAll();

        var keys = trials.Select(TrialPacking.KeyOf).ToList();

        Assert.All(keys, Assert.NotNull);
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Equal(keys, trials.Select(trial => TrialPacking.KeyOf(trial.CanonicalJson)));
        Assert.Equal(4, keys.Count(key => key == keys[0]));
        Assert.DoesNotContain("beta", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_packed_example_is_four_betas_of_one_key()
    {
        var spec = SweepSpecParser.ParseFile(SweepText.Example("beta-packed.yaml")).Spec;
        var trials = new GridSearch(spec).ExpandAll();

        Assert.Equal(PackingMode.Auto, spec.Packing);
        Assert.Equal([0.5, 1, 2, 4], trials.Select(trial => trial["beta"].AsNumber));
        Assert.Single(trials.Select(TrialPacking.KeyOf).Distinct());
    }

    [Theory]
    [InlineData("""{"beta":1.0,"model":"cnn"}""")]
    [InlineData("""{"beta":1.0,"model":"cvae"}""")]
    [InlineData("""{"beta":1.0,"epochs":0}""")]
    [InlineData("""{"beta":1.0,"model":"rnn"}""")]
    [InlineData("not json")]
    public void A_trial_that_is_not_the_mlp_or_not_valid_does_not_pack(string config)
    {
        Assert.Null(TrialPacking.KeyOf(config));
    }
}
