using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using SweepRunner.Cli;
using SweepRunner.Models;

// Before any tensor: libtorch reads its runtime's settings from the environment once, as it loads.
TorchEnvironment.ApplyDefaults();

// Not disposed: a host's own signal handler may end the command first, and this one's turn for the same signal can
// come while Main returns; cancelling a disposed source would crash the process on its way out.
var cancellation = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => StopGently(context, cancellation));
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => StopGently(context, cancellation));

// Signals are handled above rather than by System.CommandLine, which would give up on a command after 2 s.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await SweepCommand.InvokeAsync(SweepCommand.Create(AnsiConsole.Console), args, invocation, cancellation.Token);

// The first signal asks the command to stop between batches; a second one ends the process at once.
static void StopGently(PosixSignalContext context, CancellationTokenSource cancellation)
{
    if (cancellation.IsCancellationRequested) return;
    context.Cancel = true;
    cancellation.Cancel();
}
