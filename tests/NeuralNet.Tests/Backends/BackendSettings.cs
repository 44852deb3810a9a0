namespace NeuralNet.Tests.Backends;

/// <summary>Tests that change the process-wide backend settings run one at a time, apart from each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BackendSettings
{
    public const string Name = "Process-wide backend settings";
}
