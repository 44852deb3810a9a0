using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>One batch of samples for streamed training: inputs and targets with the same number of rows.</summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="Inputs">Samples × features.</param>
/// <param name="Targets">Samples × outputs.</param>
public sealed record DataBatch<T>(Matrix<T> Inputs, Matrix<T> Targets)
    where T : unmanaged, IFloatingPointIeee754<T>;
