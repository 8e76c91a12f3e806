namespace SweepRunner.Storage.Errors;

/// <summary>The sweep or trial an operation names does not exist.</summary>
public sealed class RecordNotFoundException(string what, Guid id) : StorageException($"{what} {id} not found");
