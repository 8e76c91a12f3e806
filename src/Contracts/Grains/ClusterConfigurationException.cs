namespace SweepRunner.Contracts.Grains;

/// <summary>The cluster's configuration (its ids, its TLS certificate) cannot be used; the message names the keys. Starting again would fail the same way.</summary>
public sealed class ClusterConfigurationException(string message, Exception? innerException = null) : Exception(message, innerException);
