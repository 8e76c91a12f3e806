namespace SweepRunner.TestSupport;

/// <summary>
/// One of Prometheus' active scrape targets (its /api/v1/targets): the job, the URL it scrapes, <c>up</c>, <c>down</c>
/// or <c>unknown</c> (not scraped yet), the last scrape's error, and the labels its series get (job, instance, and
/// those service discovery added).
/// </summary>
public sealed record PrometheusTarget(string Job, Uri ScrapeUrl, string Health, string LastError, IReadOnlyDictionary<string, string> Labels);
