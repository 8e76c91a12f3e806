using SweepRunner.Contracts.Sweeps.Parsing;

namespace SweepRunner.Contracts.Tests.Sweeps.Parsing;

public sealed class SpellingTests
{
    private static readonly string[] Keys = ["value", "values", "distribution", "min", "max", "probabilities"];

    [Theory]
    [InlineData("vaules", "values")]
    [InlineData("va1ues", "values")]
    [InlineData("Values", "values")]
    [InlineData("valu", "value")]
    [InlineData("distrbution", "distribution")]
    [InlineData("probabilites", "probabilities")]
    [InlineData("mn", "min")]
    public void Typo_finds_the_intended_key(string typo, string intended)
    {
        Assert.Equal(intended, Spelling.Closest(typo, Keys));
    }

    [Theory]
    [InlineData("learning_rate")]
    [InlineData("x")]
    public void Unrelated_word_finds_nothing(string word)
    {
        Assert.Null(Spelling.Closest(word, Keys));
    }
}
