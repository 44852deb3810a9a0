namespace NeuralNet.Backends;

/// <summary>Who decided which OpenBLAS kernel runs.</summary>
internal enum KernelSource
{
    /// <summary>The environment variable <c>OPENBLAS_CORETYPE</c>, set before NeuralNet loaded OpenBLAS.</summary>
    Environment,

    /// <summary>NeuralNet, from the CPU's features, because the environment left it open.</summary>
    NeuralNet,

    /// <summary>OpenBLAS's own detection of the CPU.</summary>
    OpenBlas,

    /// <summary>Whoever loaded OpenBLAS into the process before NeuralNet did; NeuralNet only reads the result.</summary>
    AlreadyLoaded,
}
