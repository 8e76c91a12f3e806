using SweepRunner.Contracts.Sweeps.Parsing;

namespace SweepRunner.Contracts.Tests.Sweeps.Parsing;

public sealed class ScalarNodeTests
{
    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-3", -3.0)]
    [InlineData("1e-3", 0.001)]
    [InlineData("+.5", 0.5)]
    [InlineData("2.", 2.0)]
    [InlineData("-.inf", double.NegativeInfinity)]
    public void Plain_numbers_read_as_yaml_1_2_core_numbers(string text, double expected)
    {
        Assert.Equal(expected, Plain(text).AsNumber);
    }

    [Theory]
    [InlineData("1_000")]
    [InlineData("0x10")]
    [InlineData("1e")]
    [InlineData("one")]
    public void Other_plain_text_is_not_a_number(string text)
    {
        Assert.Null(Plain(text).AsNumber);
    }

    [Fact]
    public void Quoted_text_is_never_a_number_boolean_or_null()
    {
        var quoted = new ScalarNode("1", IsPlain: false, new SourceMark(1, 1));

        Assert.Equal((null, null, null, false), (quoted.AsNumber, quoted.AsInteger, quoted.AsBoolean, quoted.IsNull));
        Assert.Equal("\"1\"", quoted.Description);
    }

    [Fact]
    public void Integers_are_decimal_and_fit_64_bits()
    {
        Assert.Equal(42, Plain("42").AsInteger);
        Assert.Null(Plain("4.0").AsInteger);
        Assert.Null(Plain("99999999999999999999").AsInteger);
        Assert.Equal(1e20, Plain("99999999999999999999").AsNumber);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("~", true)]
    [InlineData("null", true)]
    [InlineData("Null", true)]
    [InlineData("nil", false)]
    public void Null_is_the_core_schemas(string text, bool isNull)
    {
        Assert.Equal(isNull, Plain(text).IsNull);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("yes", null)]
    [InlineData("on", null)]
    public void Booleans_are_true_and_false_only(string text, bool? expected)
    {
        Assert.Equal(expected, Plain(text).AsBoolean);
    }

    [Fact]
    public void A_tagged_scalar_answers_only_what_its_tag_says()
    {
        var (text, integer, real, boolean, none) = (Tagged("4", CoreTag.Str), Tagged("3", CoreTag.Int), Tagged("3", CoreTag.Float), Tagged("true", CoreTag.Bool), Tagged("~", CoreTag.Null));

        Assert.Equal(("4", null, null, null, false), (text.Text, text.AsNumber, text.AsInteger, text.AsBoolean, text.IsNull));
        Assert.Equal(("", 3.0, 3L, null, false), (integer.Text, integer.AsNumber, integer.AsInteger, integer.AsBoolean, integer.IsNull));
        Assert.Equal(("", 3.0, null, null, false), (real.Text, real.AsNumber, real.AsInteger, real.AsBoolean, real.IsNull));
        Assert.Equal(("", null, null, true, false), (boolean.Text, boolean.AsNumber, boolean.AsInteger, boolean.AsBoolean, boolean.IsNull));
        Assert.Equal(("", null, null, null, true), (none.Text, none.AsNumber, none.AsInteger, none.AsBoolean, none.IsNull));
        Assert.Equal("!!str 4", text.Description);
    }

    [Theory]
    [InlineData("1.5", "Int", false)]
    [InlineData("-7", "Int", true)]
    [InlineData("7", "Float", true)]
    [InlineData(".inf", "Float", true)]
    [InlineData("1e", "Float", false)]
    [InlineData("yes", "Bool", false)]
    [InlineData("", "Null", true)]
    [InlineData("none", "Null", false)]
    [InlineData("anything", "Str", true)]
    public void Text_fits_a_tag_when_the_core_schema_reads_it_as_that_type(string text, string tag, bool fits)
    {
        Assert.Equal(fits, ScalarNode.Fits(text, Enum.Parse<CoreTag>(tag)));
    }

    private static ScalarNode Plain(string text) => new(text, IsPlain: true, new SourceMark(1, 1));

    private static ScalarNode Tagged(string text, CoreTag tag) => new(text, IsPlain: true, new SourceMark(1, 1), tag);
}
