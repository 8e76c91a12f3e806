using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SweepRunner.ServiceDefaults;

/// <summary>
/// Logging to the terminal, quiet by default: SweepRunner's own messages, and warnings and errors from the rest, one
/// line each on standard error (standard output is the commands' own: tables, JSON). The frameworks' start-up notes
/// (Orleans' warnings about the GC mode or its watchdog) only with <see cref="ServiceDefaultsExtensions.VerboseKey"/>,
/// which also shows every framework's information and each exception in full.
/// </summary>
public static class TerminalLogging
{
    /// <summary>Orleans warns about its environment at every start (server GC, watchdog); its errors still show.</summary>
    private const string OrleansCategory = "Orleans";

    /// <summary>Polly's telemetry warns at every retried attempt (Orleans' own retries); the retries that matter log their own line.</summary>
    private const string PollyCategory = "Polly";

    private const string OwnCategory = "SweepRunner";

    /// <summary>Terminal logging outside a host (what runs before one starts), configured from the environment.</summary>
    public static ILoggingBuilder AddTerminalLogging(this ILoggingBuilder logging, bool verbose)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ServiceDefaultsExtensions.VerboseKey] = verbose ? "true" : null })
            .Build();
        return logging.AddTerminalLogging(configuration, LogLevel.Information);
    }

    /// <param name="ownMessages">The least level of SweepRunner's own messages shown by default.</param>
    public static ILoggingBuilder AddTerminalLogging(this ILoggingBuilder logging, IConfiguration configuration, LogLevel ownMessages)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        bool verbose = configuration.GetValue<bool>(ServiceDefaultsExtensions.VerboseKey);
        logging.ClearProviders();
        logging.AddConsole(options =>
        {
            options.FormatterName = TerminalLogFormatter.FormatterName;
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        logging.AddConsoleFormatter<TerminalLogFormatter, TerminalLogFormatterOptions>(options => options.Verbose = verbose);
        var levels = configuration.GetSection("Logging:LogLevel");
        if (levels.GetChildren().Any())
        {
            // Levels asked for in configuration (Logging__LogLevel__Orleans=Information) replace these defaults.
            logging.AddConfiguration(configuration.GetSection("Logging"));
        }
        else if (verbose)
        {
            logging.SetMinimumLevel(LogLevel.Information);
        }
        else
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter(OwnCategory, ownMessages);
            logging.AddFilter(OrleansCategory, LogLevel.Error);
            logging.AddFilter(PollyCategory, LogLevel.Error);
        }
        return logging;
    }
}
