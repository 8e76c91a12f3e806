using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace SweepRunner.ServiceDefaults;

/// <summary>Whether log lines carry their category and exceptions in full (<c>--verbose</c>).</summary>
internal sealed class TerminalLogFormatterOptions : ConsoleFormatterOptions
{
    public bool Verbose { get; set; }
}

/// <summary>
/// One line per message, <c>warn: MESSAGE</c>, an exception by its message only; verbose, the category is added and the
/// exception follows in full (type, message, stack).
/// </summary>
internal sealed class TerminalLogFormatter(IOptionsMonitor<TerminalLogFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "sweeprunner";

    /// <summary>"Hosting failed to start": the host throws what it logs, and the command prints that as its <c>error:</c> line.</summary>
    private static readonly (string Category, int EventId) HostStartFailure = ("Microsoft.Extensions.Hosting.Internal.Host", 11);

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        bool verbose = options.CurrentValue.Verbose;
        if (!verbose && (logEntry.Category, logEntry.EventId.Id) == HostStartFailure) return;
        string message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message.Length == 0 && logEntry.Exception is null) return;
        textWriter.Write(Label(logEntry.LogLevel));
        textWriter.Write(": ");
        if (verbose)
        {
            textWriter.Write(logEntry.Category);
            textWriter.Write(": ");
        }
        textWriter.Write(OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            if (verbose)
            {
                textWriter.WriteLine();
                textWriter.Write(exception.ToString());
            }
            else if (!message.Contains(exception.Message, StringComparison.Ordinal))
            {
                textWriter.Write(message.Length == 0 ? "" : ": ");
                textWriter.Write(OneLine(exception.Message));
            }
        }
        textWriter.WriteLine();
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
