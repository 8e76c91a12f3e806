namespace SweepRunner.Storage.Schema;

/// <summary>What one run of the schema step applied to <see cref="Database"/>; both lists are empty when it was up to date.</summary>
public sealed record MigrationReport(string Database, IReadOnlyList<string> AppliedMigrations, IReadOnlyList<string> AppliedOrleansScripts)
{
    public bool UpToDate => AppliedMigrations.Count == 0 && AppliedOrleansScripts.Count == 0;
}
