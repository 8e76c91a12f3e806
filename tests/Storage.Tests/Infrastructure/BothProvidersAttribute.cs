using System.Reflection;
using SweepRunner.Storage.Connection;
using Xunit.Sdk;

namespace SweepRunner.Storage.Tests;

/// <summary>Runs a theory once on SQLite and once on PostgreSQL: the one storage suite both providers must pass.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothProvidersAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[StorageProvider.Sqlite], [StorageProvider.PostgreSql]];
}
