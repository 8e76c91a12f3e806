namespace SweepRunner.Plotting;

/// <summary>Whole-file writes that a crash never leaves half done.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> beside <paramref name="path"/> and renames it into place.</summary>
    public static void Write(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
