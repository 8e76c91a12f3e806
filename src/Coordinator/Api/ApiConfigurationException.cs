namespace SweepRunner.Coordinator.Api;

/// <summary>The API cannot start as configured (an address other than loopback without a token, a malformed URL).</summary>
public sealed class ApiConfigurationException(string message) : Exception(message);
