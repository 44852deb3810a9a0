using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Training;

namespace NeuralNet;

// The part of Network<T> that trains: the loss on samples, and backpropagation through every layer.
public sealed partial class Network<T>
{
    /// <summary>The loss on the given samples, in inference mode: the mean over samples.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <param name="targets">Samples × <see cref="OutputSize"/>.</param>
    /// <returns>The batch-mean loss.</returns>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public T ComputeLoss(Matrix<T> inputs, Matrix<T> targets)
    {
        NetworkStructure.CheckData(this, inputs, targets);
        return Loss.Compute(Infer(inputs), targets);
    }

    /// <summary>
    /// One forward and backward pass in training mode: clears every gradient, then fills it with <c>+dL/dθ</c> of the
    /// batch-mean loss on these samples, working from the output layer back to the first.
    /// </summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <param name="targets">Samples × <see cref="OutputSize"/>.</param>
    /// <returns>The batch-mean loss before any update.</returns>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    /// <remarks>Layers that draw at random in training mode draw from the generator that <see cref="Initialize"/> seeded.</remarks>
    public T Backpropagate(Matrix<T> inputs, Matrix<T> targets)
    {
        Use.ThrowIfHeldElsewhere();
        NetworkStructure.CheckData(this, inputs, targets);
        return BackpropagateCore(Storage.Dense(inputs), Storage.Dense(targets), _context);
    }

    /// <summary>For a classification loss, how many samples of the last <see cref="BackpropagateCore"/> batch the network classified right (before the update).</summary>
    internal int LastCorrect { get; private set; }

    /// <summary>
    /// The training pass on dense, already checked data: forward in training mode, the loss and its gradient, and
    /// backward through every layer. Gradients are cleared first (but for parameters whose step is fused).
    /// </summary>

    internal T BackpropagateCore(Matrix<T> inputs, Matrix<T> targets, TrainingContext context)
    {
        foreach (Parameter<T> parameter in _parameters)
        {
            parameter.ZeroGradient();
        }

        Matrix<T> current = inputs;
        foreach (Layer<T> layer in _layers)
        {
            current = layer.RunForward(current, context);
        }

        // Counted here, between forward and backward, because backward may reuse the output's storage; it reads the
        // predictions already made, so training accuracy costs no extra forward pass.
        LastCorrect = Loss.IsClassification ? Training.BatchAccuracy.Correct<T>(Storage.Of(current), Storage.Of(targets), inputs.RowCount, current.ColumnCount) : 0;
        Matrix<T> gradient = _lossGradients.Get(inputs.RowCount);
        T loss = Loss.ValueAndGradient<T>(Storage.Of(current), Storage.Of(targets), Storage.Of(gradient), inputs.RowCount);
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            gradient = _layers[l].BackwardCore(gradient, computeInputGradient: l > 0)!;
        }

        return loss;
    }
}
