using Microsoft.EntityFrameworkCore.Design;

namespace SweepRunner.Storage.DesignTime;

/// <summary>Lets <c>dotnet ef migrations add --context PostgresSweepDbContext</c> build the model; it never connects.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSweepDbContext>
{
    public PostgresSweepDbContext CreateDbContext(string[] args) =>
        new(SweepDbContextFactory.PostgresOptions("Host=localhost;Database=sweeprunner"));
}
