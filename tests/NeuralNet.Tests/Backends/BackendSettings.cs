namespace NeuralNet.Tests.Backends;

/// <summary>Tests that change the process-wide backend settings, or need its worker pool to themselves, run one at a time, apart from all others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BackendSettings
{
    public const string Name = "Process-wide backend settings";
}
