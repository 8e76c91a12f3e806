namespace SweepRunner.Web.Tests.Support;

/// <summary>The browser tests share one cluster and one browser, and run one after another (the worker trains meanwhile).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardGroup : ICollectionFixture<DashboardCluster>
{
    public const string Name = "dashboard";
}
