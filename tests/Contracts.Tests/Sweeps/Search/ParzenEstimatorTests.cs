using SweepRunner.Contracts.Sweeps.Search;

namespace SweepRunner.Contracts.Tests.Sweeps.Search;

public sealed class ParzenEstimatorTests
{
    [Fact]
    public void Truncated_density_integrates_to_one_over_the_interval()
    {
        var estimator = new ParzenEstimator([0.1, 0.15, 0.9], SearchInterval.Bounded(0, 1));

        const int Steps = 20_000;
        double integral = Enumerable.Range(0, Steps).Sum(i => Math.Exp(estimator.LogDensity((i + 0.5) / Steps))) / Steps;

        Assert.Equal(1.0, integral, 3);
    }

    [Fact]
    public void Density_is_highest_near_the_observations()
    {
        var estimator = new ParzenEstimator([0.2, 0.21, 0.22], SearchInterval.Bounded(0, 1));

        Assert.True(estimator.LogDensity(0.21) > estimator.LogDensity(0.5));
        Assert.True(estimator.LogDensity(0.21) > estimator.LogDensity(0.8) + 1);
    }

    [Fact]
    public void Samples_stay_in_a_bounded_interval()
    {
        var estimator = new ParzenEstimator([0.0, 1.0], SearchInterval.Bounded(0, 1));
        var random = new Random(0);

        Assert.All(Enumerable.Range(0, 2000).Select(_ => estimator.Sample(random)), value => Assert.InRange(value, 0, 1));
    }

    [Fact]
    public void Without_observations_it_is_the_prior()
    {
        var estimator = new ParzenEstimator([], SearchInterval.Unbounded(3, 2));

        // The prior alone: N(3, 2) untruncated.
        Assert.Equal(-Math.Log(2 * Math.Sqrt(2 * Math.PI)), estimator.LogDensity(3), 9);
    }

    [Theory]
    [InlineData(0, new double[0])]
    [InlineData(3, new[] { 1.0, 1, 1 })]
    [InlineData(27, new[] { 1.0 / 27, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 })]
    public void Observation_weights_are_optunas_default_weights(int count, double[] expected)
    {
        var weights = ParzenEstimator.ObservationWeights(count);

        Assert.Equal(expected.Length, weights.Length);
        Assert.All(expected.Zip(weights), pair => Assert.Equal(pair.First, pair.Second, 12));
    }

    [Fact]
    public void Older_observations_ramp_up_from_one_over_n_once_there_are_more_than_25()
    {
        var weights = ParzenEstimator.ObservationWeights(30);

        double[] ramp = [1.0 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0];
        Assert.All(ramp.Zip(weights), pair => Assert.Equal(pair.First, pair.Second, 12));
        Assert.All(weights.Skip(5), weight => Assert.Equal(1.0, weight));
    }

    [Fact]
    public void Categorical_estimator_smooths_the_counts_with_the_prior()
    {
        // Two observations of category 0 and the prior: three kernels weighted 1/3 each. An observation's kernel puts
        // 1/3 (the prior weight over 3 kernels) on each category plus 1 on its own: 4/5 on 0, 1/5 on 1 once normalized;
        // the prior's kernel is 1/2, 1/2. So l(0) = (4/5 + 4/5 + 1/2) / 3 = 0.7 and l(1) = 0.3.
        var estimator = new CategoricalParzenEstimator([0, 0], [0.5, 0.5]);

        Assert.Equal(Math.Log(0.7), estimator.LogDensity(0), 12);
        Assert.Equal(Math.Log(0.3), estimator.LogDensity(1), 12);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.96, 0.024997895148220435)]
    [InlineData(3.0, 0.9986501019683699)]
    public void Normal_cdf_matches_reference_values(double z, double expected)
    {
        Assert.Equal(expected, StandardNormal.Cdf(z), 7);
    }
}
