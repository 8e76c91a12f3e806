namespace SweepRunner.TestSupport;

/// <summary>Prometheus' HTTP API refused a request (a query that does not parse, …); the message has the request and Prometheus' error.</summary>
public sealed class PrometheusApiException(string message) : Exception(message);
