using System.Security.Cryptography;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage;

/// <summary>The SHA-256 every stored blob is kept with, and the check made whenever one is read back.</summary>
internal static class StoredHash
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Throws <see cref="StorageIntegrityException"/> naming <paramref name="what"/> when <paramref name="bytes"/> do
    /// not hash to <paramref name="sha256"/> or are not <paramref name="sizeBytes"/> long.
    /// </summary>
    public static void Verify(byte[] bytes, string sha256, long sizeBytes, string what)
    {
        string actual = Of(bytes);
        if (!string.Equals(actual, sha256, StringComparison.Ordinal) || bytes.LongLength != sizeBytes)
            throw new StorageIntegrityException(what, sha256, actual);
    }
}
