namespace SweepRunner.Models.Data;

/// <summary>A dataset file is missing, unreadable or malformed; the message names the file and the problem.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates an error for <paramref name="filePath"/>; the message reads "path: problem".</summary>
    public DatasetException(string filePath, string problem)
        : this($"{filePath}: {problem}", null, filePath)
    {
    }

    /// <summary>Creates an error for <paramref name="filePath"/> caused by <paramref name="innerException"/>.</summary>
    public DatasetException(string filePath, string problem, Exception innerException)
        : this($"{filePath}: {problem}", innerException, filePath)
    {
    }

    private DatasetException(string message, Exception? innerException, string filePath)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>Full path of the file (or folder) the error is about.</summary>
    public string FilePath { get; }

    /// <summary>Neither <c>NAME.gz</c> nor <c>NAME</c> exists; the message shows both as <c>NAME(.gz)</c>.</summary>
    internal static DatasetException NotFoundEitherWay(string rawPath) =>
        new($"{rawPath}(.gz): file not found", null, rawPath);
}
