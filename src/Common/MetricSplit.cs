namespace SweepRunner.Common;

/// <summary>The part of the data set an epoch metric was measured on.</summary>
public enum MetricSplit
{
    Train,
    Test,
}
