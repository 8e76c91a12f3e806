namespace SweepRunner.Storage.Errors;

/// <summary>A storage operation could not be done; the message says what and where, never a password.</summary>
public class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
