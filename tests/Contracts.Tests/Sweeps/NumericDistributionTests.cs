using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

public sealed class NumericDistributionTests
{
    [Fact]
    public void Q_uniform_rounds_to_multiples_of_q_half_to_even()
    {
        var distribution = new NumericDistribution(DistributionKind.QUniform, 0, 10, 0, 1, 4);
        var random = new Random(1);

        var values = Enumerable.Range(0, 500).Select(_ => distribution.Sample(random)).Distinct().Order();

        Assert.Equal([0.0, 4, 8], values);
    }

    [Fact]
    public void Int_uniform_yields_every_integer_of_its_bounds()
    {
        var distribution = new NumericDistribution(DistributionKind.IntUniform, -1, 2, 0, 1, null);
        var random = new Random(1);

        Assert.Equal([-1.0, 0, 1, 2], Enumerable.Range(0, 500).Select(_ => distribution.Sample(random)).Distinct().Order());
    }

    [Fact]
    public void Log_normal_draws_are_positive_with_the_log_mean_mu()
    {
        var distribution = new NumericDistribution(DistributionKind.LogNormal, 0, 0, 1, 0.5, null);
        var random = new Random(2);

        var draws = Enumerable.Range(0, 4000).Select(_ => distribution.Sample(random)).ToList();

        Assert.All(draws, draw => Assert.True(draw > 0));
        Assert.Equal(1.0, draws.Average(Math.Log), 1);
    }

    [Fact]
    public void Inv_log_uniform_values_stays_within_its_value_bounds()
    {
        var distribution = new NumericDistribution(DistributionKind.InvLogUniformValues, 0.001, 0.1, 0, 1, null);
        var random = new Random(3);

        var draws = Enumerable.Range(0, 2000).Select(_ => distribution.Sample(random)).ToList();

        Assert.All(draws, draw => Assert.InRange(draw, 0.001, 0.1));
        Assert.InRange(draws.Count(draw => draw < 0.01), 850, 1150);
    }

    [Fact]
    public void Search_space_of_log_kinds_is_the_log_of_the_bounds_and_round_trips()
    {
        var distribution = new NumericDistribution(DistributionKind.LogUniformValues, 1e-4, 1e-2, 0, 1, null);

        Assert.Equal(Math.Log(1e-4), distribution.SearchSpace.Low, 12);
        Assert.Equal(Math.Log(1e-2), distribution.SearchSpace.High, 12);
        Assert.Equal(3e-3, distribution.FromSearchSpace(distribution.ToSearchSpace(3e-3)), 15);
    }

    [Fact]
    public void Int_uniform_search_space_gives_the_end_values_a_whole_unit()
    {
        var distribution = new NumericDistribution(DistributionKind.IntUniform, 2, 6, 0, 1, null);

        Assert.Equal((1.5, 6.5), (distribution.SearchSpace.Low, distribution.SearchSpace.High));
        Assert.Equal(6, distribution.FromSearchSpace(6.49));
        Assert.Equal(2, distribution.FromSearchSpace(1.5));
    }
}
