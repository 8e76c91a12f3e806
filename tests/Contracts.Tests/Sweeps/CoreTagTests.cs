using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary>
/// YAML core-schema tags, as real W&amp;B sweep files write them (<c>min: !!float 1e-5</c>): accepted where the tagged
/// value fits the parameter, an error at its location where it does not; every other tag stays refused.
/// </summary>
public sealed class CoreTagTests
{
    [Fact]
    public void Core_tags_that_fit_their_parameters_are_read_as_their_type()
    {
        var spec = SweepText.Spec("""
            name: !!str 2026
            method: random
            epochs: !!int 3
            parameters:
              lr:
                distribution: log_uniform_values
                min: !!float 1e-5
                max: !!float 1e-2
              beta: {value: !!int 4}
              model: {value: !!str mlp}
              x_flag: {values: [!!bool true, !!str true, !!float 2, !!int "3"]}
            """);

        Assert.Equal("2026", spec.Name);
        var lr = Assert.IsType<DistributionDomain>(spec.Parameters.Single(parameter => parameter.Name == "lr").Domain).Distribution;
        Assert.Equal((1e-5, 1e-2), (lr.Min, lr.Max));
        Assert.Equal(new RealValue(4), Constant(spec, "beta"));
        Assert.Equal(new StringValue("mlp"), Constant(spec, "model"));
        Assert.Equal(
            [new BooleanValue(true), new StringValue("true"), new RealValue(2), new IntegerValue(3)],
            Assert.IsType<CategoricalDomain>(spec.Parameters.Single(parameter => parameter.Name == "x_flag").Domain).Values);
    }

    [Fact]
    public void Float_tagged_bounds_make_a_uniform_distribution_even_when_written_as_integers()
    {
        var spec = SweepText.Spec("""
            method: random
            parameters:
              x_width: {min: !!float 1, max: !!float 10}
            """);

        var domain = Assert.IsType<DistributionDomain>(spec.Parameters.Single().Domain);
        Assert.Equal(DistributionKind.Uniform, domain.Distribution.Kind);
        Assert.False(domain.IntegerValued);
    }

    public static TheoryData<string, string> Contradictions => new()
    {
        { "method: grid\nparameters:\n  beta: {value: !!str 4}\n", "sweep.yaml:3:17: parameters.beta.value: expected a number > 0, found !!str 4" },
        { "method: grid\nparameters:\n  latent_dim: {value: !!float 2}\n", "sweep.yaml:3:23: parameters.latent_dim.value: expected an integer >= 1, found !!float 2" },
        { "method: grid\nparameters:\n  dataset: {value: !!int 7}\n", "sweep.yaml:3:20: parameters.dataset.value: expected a non-empty string, found !!int 7" },
        { "method: grid\nparameters:\n  beta: {value: !!int 1.5}\n", "sweep.yaml:3:17: parameters.beta.value: tag !!int: expected a decimal integer, found 1.5" },
        { "method: grid\nparameters:\n  x_on: {value: !!bool yes}\n", "sweep.yaml:3:17: parameters.x_on.value: tag !!bool: expected true or false, found yes" },
        { "method: grid\nparameters:\n  beta: {value: !!float \"four\"}\n", "sweep.yaml:3:17: parameters.beta.value: tag !!float: expected a number (1e-5, 0.5, .inf, .nan), found \"four\"" },
        { "method: grid\nparameters:\n  x_none: {value: !!null 0}\n", "sweep.yaml:3:19: parameters.x_none.value: tag !!null: expected null, ~ or nothing, found 0" },
        { "method: grid\nparameters:\n  x_none:\n    value: !!null\n", "sweep.yaml:4:12: parameters.x_none.value: expected a string, a finite number, true or false, found !!null" },
        { "method: grid\nepochs: !!str 3\nparameters:\n  beta: {value: 1}\n", "sweep.yaml:2:9: epochs: expected an integer >= 1, found !!str 3" },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void A_tag_that_contradicts_the_parameter_or_its_text_is_an_error_at_its_location(string yaml, string expected)
    {
        Assert.Contains(expected, SweepText.Errors(yaml));
    }

    [Theory]
    [InlineData("beta: {value: !!binary aGVsbG8=}", "!!binary")]
    [InlineData("beta: !!map {value: 1}", "!!map")]
    [InlineData("beta: {values: !!seq [1]}", "!!seq")]
    [InlineData("beta: !!str {value: 1}", "!!str")]
    [InlineData("beta: {value: !Beta 1}", "!Beta")]
    public void Every_other_tag_and_core_tags_on_collections_stay_refused(string parameter, string tag)
    {
        var errors = SweepText.Errors($"method: grid\nparameters:\n  {parameter}\n");

        Assert.Contains(errors, error => error.Contains($"tag {tag} refused: only the core-schema tags", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_tagged_as_anything_but_a_string_is_no_name()
    {
        var errors = SweepText.Errors("method: grid\n!!int 3: x\nparameters:\n  beta: {value: 1}\n");

        Assert.Contains("sweep.yaml:2:1: expected a key (a name), found !!int 3", errors);
    }

    private static ParameterValue Constant(SweepSpec spec, string name) =>
        Assert.IsType<ConstantDomain>(spec.Parameters.Single(parameter => parameter.Name == name).Domain).Value;
}
