using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;
using SweepRunner.Cli.Commands;
using SweepRunner.Cli.Remote;

namespace SweepRunner.Cli;

/// <summary>The <c>sweep</c> root command and how it is run.</summary>
public static class SweepCommand
{
    private const string ErrorPrefix = "error: ";

    /// <summary>The root command; all human-readable output of the commands goes to <paramref name="console"/>.</summary>
    public static RootCommand Create(IAnsiConsole console)
    {
        var root = new RootCommand("Trains and compares variational autoencoders on MNIST.");
        var connection = new ConnectionOptions();
        connection.AddTo(root);
        root.Options.Add(VerboseOption.Create());
        root.Subcommands.Add(TrainCommand.Create(console));
        root.Subcommands.Add(SampleCommand.Create(console));
        root.Subcommands.Add(ManifoldCommand.Create(console));
        root.Subcommands.Add(ValidateCommand.Create(console));
        root.Subcommands.Add(RunCommand.Create(console));
        root.Subcommands.Add(DbCommand.Create(console));
        root.Subcommands.Add(CoordinatorCommand.Create(console));
        root.Subcommands.Add(WorkerCommand.Create(console));
        root.Subcommands.Add(SubmitCommand.Create(console, connection));
        root.Subcommands.Add(StatusCommand.Create(console, connection));
        root.Subcommands.Add(WatchCommand.Create(console, connection));
        root.Subcommands.Add(CancelCommand.Create(console, connection));
        root.Subcommands.Add(ResumeCommand.Create(console, connection));
        root.Subcommands.Add(DeleteCommand.Create(console, connection));
        root.Subcommands.Add(RetryCommand.Create(console, connection));
        root.Subcommands.Add(LogsCommand.Create(console, connection));
        root.Subcommands.Add(BestCommand.Create(console, connection));
        root.Subcommands.Add(ReportCommand.Create(console, connection));
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Every parse error is bad input (exit 2, where System.CommandLine
    /// would exit 1), except when an option such as --help makes the errors moot. A command that fails with an exception
    /// ends with one <c>error: MESSAGE</c> line (exit 1), the exception in full with <c>--verbose</c>.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(invocation);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parseResult.Errors) await invocation.Error.WriteLineAsync(Describe(error));
            return ExitCodes.BadInput;
        }

        invocation.EnableDefaultExceptionHandler = false;
        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex)
        {
            // Hosts wrap what their services threw on start in an AggregateException.
            var cause = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex;
            if (cause is OperationCanceledException && cancellationToken.IsCancellationRequested) return ExitCodes.Cancelled;
            await invocation.Error.WriteLineAsync(ErrorPrefix + string.Join(' ', cause.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            if (VerboseOption.IsSet(parseResult)) await invocation.Error.WriteLineAsync(ex.ToString());
            return ExitCodes.Failure;
        }
    }

    private static string Describe(ParseError error)
    {
        var message = string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var option = OptionOf(error.SymbolResult)?.Option.Name;
        bool named = option is null || message.Contains(option, StringComparison.Ordinal);
        return ErrorPrefix + (named ? message : $"{option}: {message}");
    }

    private static OptionResult? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult option => option,
        ArgumentResult argument => OptionOf(argument.Parent),
        _ => null,
    };
}
