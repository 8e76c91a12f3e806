using Microsoft.Extensions.Logging;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// The trial's log as one attempt writes it: lines stored under the attempt's lease, through outages like the
/// attempt's other writes. A line that cannot be stored for another reason is a warning in the worker's own log and
/// no more: a log must never fail the trial. A refused write (the lease moved on) ends the attempt like any other.
/// </summary>
internal sealed partial class AttemptLog(TrialLogStore logs, TrialLease lease, LeaseBoundRetry retry, string slot, ILogger logger)
{
    public void Info(string message, CancellationToken cancellationToken) => Write(TrialLogLevel.Info, message, cancellationToken);

    public void Warning(string message, CancellationToken cancellationToken) => Write(TrialLogLevel.Warning, message, cancellationToken);

    public void Error(string message, CancellationToken cancellationToken) => Write(TrialLogLevel.Error, message, cancellationToken);

    private void Write(TrialLogLevel level, string message, CancellationToken cancellationToken)
    {
        try
        {
            retry.Run(token => logs.AppendAsync(lease.TrialId, lease.LeaseId, level, slot, message, token), cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException or LeaseLostException) && !Outages.IsOutage(ex))
        {
            LogNotStored(ex, slot, lease.SweepId, lease.Number);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: a line of the log of trial {Number} of sweep {SweepId} could not be stored")]
    private partial void LogNotStored(Exception exception, string slot, Guid sweepId, int number);
}
