namespace SweepRunner.Reliability.Tests;

/// <summary>
/// The fault tests run one at a time: each starts a PostgreSQL server, coordinators and training workers, and their
/// recovery times mean something only when no other fault test competes for the cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultTestGroup
{
    public const string Name = "fault tests";
}
