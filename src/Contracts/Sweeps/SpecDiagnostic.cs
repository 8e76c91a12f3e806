namespace SweepRunner.Contracts.Sweeps;

/// <summary>A message about one place in a sweep file: the file, the 1-based line and column, and the key path there.</summary>
public abstract record SpecDiagnostic(string File, int Line, int Column, string Path, string Message)
{
    /// <summary><c>file:line:column: path: message</c>; without the path when the message is about the whole file.</summary>
    public sealed override string ToString() =>
        Path.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Path}: {Message}";
}

/// <summary>Something that makes the sweep file unusable.</summary>
public sealed record SpecError(string File, int Line, int Column, string Path, string Message)
    : SpecDiagnostic(File, Line, Column, Path, Message);

/// <summary>Something the sweep file says that SweepRunner reads differently or ignores (W&amp;B's <c>program</c>, an alias).</summary>
public sealed record SpecNotice(string File, int Line, int Column, string Path, string Message)
    : SpecDiagnostic(File, Line, Column, Path, Message);
