using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary>What each metric reads: the one map that the epoch results, the ranking and the report share.</summary>
public sealed class MetricNamesTests
{
    [Fact]
    public void Every_canonical_metric_reads_an_epoch_loss_or_a_final_metric()
    {
        Assert.All(MetricNames.Canonical, name => Assert.True(MetricNames.SourceOf(name) is { } source && (source.Epoch is not null || source.Final is not null), name));
        Assert.Null(MetricNames.SourceOf("loss"));
    }

    [Theory]
    [InlineData(MetricNames.TestTotal, 3.0)]
    [InlineData(MetricNames.TestRecon, 2.0)]
    [InlineData(MetricNames.TestKl, 1.0)]
    [InlineData(MetricNames.TrainTotal, 30.0)]
    [InlineData(MetricNames.TrainRecon, 20.0)]
    [InlineData(MetricNames.TrainKl, 10.0)]
    [InlineData(MetricNames.IwaeNll, null)]
    [InlineData(MetricNames.ActiveUnits, null)]
    public void An_epoch_result_reads_its_split_and_term(string name, double? expected)
    {
        var result = new EpochResult(Guid.NewGuid(), Guid.NewGuid(), 1, new EpochLosses(30, 20, 10), new EpochLosses(3, 2, 1));

        Assert.Equal(expected, result.Metric(name));
    }

    [Fact]
    public void Only_the_final_metrics_rank_trials()
    {
        Assert.Equal(TrialMetric.TestKl, MetricNames.SourceOf(MetricNames.TestKl)?.Final);
        Assert.Equal(TrialMetric.ActiveUnits, MetricNames.SourceOf(MetricNames.ActiveUnits)?.Final);
        Assert.Null(MetricNames.SourceOf(MetricNames.TrainTotal)?.Final);
    }

    [Fact]
    public void Enum_members_are_named_in_lower_case()
    {
        Assert.Equal("maximize", MetricGoal.Maximize.LowerName());
        Assert.Equal("test", MetricSplit.Test.LowerName());
    }
}
