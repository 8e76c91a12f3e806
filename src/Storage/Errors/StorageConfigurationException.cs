namespace SweepRunner.Storage.Errors;

/// <summary>The storage settings cannot be used: a malformed connection string, or options the provider lacks.</summary>
public sealed class StorageConfigurationException(string message) : StorageException(message);
