using Microsoft.EntityFrameworkCore.Design;

namespace SweepRunner.Storage.DesignTime;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteSweepDbContext</c> build the model; it never opens the file.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSweepDbContext>
{
    public SqliteSweepDbContext CreateDbContext(string[] args) =>
        new(SweepDbContextFactory.SqliteOptions("Data Source=sweeprunner.db"));
}
