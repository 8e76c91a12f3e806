using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

public sealed class TrialConfigTests
{
    [Fact]
    public void Canonical_json_sorts_keys_ordinally_without_whitespace()
    {
        var config = Config(("model", new StringValue("mlp")), ("beta", new RealValue(4)), ("Zeta", new BooleanValue(false)), ("epochs", new IntegerValue(2)));

        Assert.Equal("""{"Zeta":false,"beta":4.0,"epochs":2,"model":"mlp"}""", config.CanonicalJson);
    }

    [Fact]
    public void Reals_are_written_in_round_trip_form_and_integral_reals_keep_a_fraction()
    {
        var config = Config(("a", new RealValue(1e-5)), ("b", new RealValue(0.1)), ("c", new RealValue(-0.0)), ("d", new RealValue(1e21)), ("e", new RealValue(1.0 / 3)));

        Assert.Equal("""{"a":1E-05,"b":0.1,"c":0.0,"d":1E+21,"e":0.3333333333333333}""", config.CanonicalJson);
    }

    [Fact]
    public void Canonical_json_reads_back_to_a_config_with_the_same_values_and_hash()
    {
        var config = Config(("model", new StringValue("mlp")), ("beta", new RealValue(4)), ("lr", new RealValue(1e-5)), ("epochs", new IntegerValue(2)), ("x_flag", new BooleanValue(true)));

        var read = TrialConfig.FromCanonicalJson(config.CanonicalJson);

        Assert.Equal(config.Hash, read.Hash);
        Assert.Equal(new RealValue(4), read["beta"]);
        Assert.Equal(new IntegerValue(2), read["epochs"]);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("""{"a":[1]}""")]
    [InlineData("{")]
    public void Reading_back_refuses_what_is_not_an_object_of_scalars(string json) =>
        Assert.Throws<FormatException>(() => TrialConfig.FromCanonicalJson(json));

    [Fact]
    public void Hash_is_the_sha256_of_the_canonical_json()
    {
        var config = Config(("beta", new RealValue(1)));

        Assert.Equal("""{"beta":1.0}""", config.CanonicalJson);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("""{"beta":1.0}"""u8)), config.Hash);
    }

    [Fact]
    public void Same_values_in_another_order_have_the_same_hash()
    {
        var one = Config(("model", new StringValue("cnn")), ("beta", new RealValue(2)));
        var other = Config(("beta", new RealValue(2)), ("model", new StringValue("cnn")));

        Assert.Equal(one.Hash, other.Hash);
        Assert.Equal(["model", "beta"], one.Values.Select(pair => pair.Key));
    }

    [Fact]
    public void Beta_written_as_1_or_1_0_in_yaml_gives_one_hash()
    {
        var integral = SweepText.Spec("method: grid\nparameters:\n  beta: {value: 1}\n");
        var real = SweepText.Spec("method: grid\nparameters:\n  beta: {value: 1.0}\n");

        Assert.Equal(Trial(integral).Hash, Trial(real).Hash);
    }

    [Fact]
    public void Different_values_or_types_have_different_hashes()
    {
        var hashes = new[]
        {
            Config(("x", new IntegerValue(1))).Hash,
            Config(("x", new RealValue(1))).Hash,
            Config(("x", new StringValue("1"))).Hash,
            Config(("x", new BooleanValue(true))).Hash,
            Config(("x", new IntegerValue(2))).Hash,
        };

        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.All(hashes, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
    }

    [Fact]
    public void Sweep_level_keys_complete_every_trial_unless_a_parameter_sets_them()
    {
        var spec = SweepText.Spec("method: grid\nepochs: 3\ntrain_limit: 500\ndataset: mnist\nparameters:\n  epochs: {value: 1}\n  beta: {value: 2}\n");

        Assert.Equal("""{"beta":2.0,"dataset":"mnist","epochs":1,"train_limit":500}""", Trial(spec).CanonicalJson);
        Assert.Equal(["epochs", "beta", "train_limit", "dataset"], Trial(spec).Values.Select(pair => pair.Key));
    }

    [Fact]
    public void Real_value_must_be_finite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealValue(double.NaN));
    }

    private static TrialConfig Trial(SweepSpec spec) => spec.CreateTrial(spec.Parameters.Select(parameter =>
        new KeyValuePair<string, ParameterValue>(parameter.Name, ((ConstantDomain)parameter.Domain).Value)));

    private static TrialConfig Config(params (string Name, ParameterValue Value)[] values) =>
        new(values.Select(pair => new KeyValuePair<string, ParameterValue>(pair.Name, pair.Value)));
}
