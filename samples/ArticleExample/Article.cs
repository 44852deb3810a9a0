using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Samples.ArticleExample;

/// <summary>The article's example program, with NeuralNet doing forward propagation, backward propagation and the update.</summary>
internal static class Article
{
    /// <summary>
    /// The article's network, <c>layers_dims = [2, 10, 20, 30, 2]</c>: three hidden layers of <see cref="Setup.Hidden"/>
    /// units and an output of 2, weights drawn by <see cref="Setup.Weights"/> (the article's randn·0.01) and biases zero.
    /// </summary>
    public static Network<double> BuildModel(Setup setup, int seed) => Network.Sequential<double>(2)
        .Dense(10, setup.Hidden, setup.Weights, Initializer.Zeros)
        .Dense(20, setup.Hidden, setup.Weights, Initializer.Zeros)
        .Dense(30, setup.Hidden, setup.Weights, Initializer.Zeros)

        // The article's softmax output: this layer gives the logits Z[L], and the loss applies softmax and
        // cross-entropy together, from the logits, so the cost never takes the log of 0 and its gradient is the
        // article's dZ[L] = A[L] − Y. Predict applies the softmax.
        .Dense(2, activation: null, setup.Weights, Initializer.Zeros)
        .Build(Loss.SoftmaxCrossEntropy, seed);

    /// <summary>
    /// The article's <c>train_model(X, Y, learning_rate, num_iterations)</c>: each iteration runs forward propagation,
    /// computes the cost, runs backward propagation and updates the parameters; every 100th prints the cost.
    /// </summary>
    /// <param name="network">The network, trained in place (the article's <c>parameters</c>).</param>
    /// <param name="x">Samples × 2 features (the article's X holds one column per sample instead).</param>
    /// <param name="y">The class of each sample, 0 or 1; Fit one-hot encodes them into the article's Y.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="numIterations">The number of passes over the data: iterations, with the article's full batch.</param>
    /// <param name="descent">Which samples feed an update; the article's full batch when null.</param>
    /// <param name="rule">How an update moves the weights; the article's <c>W −= learning_rate·dW</c> when null.</param>
    /// <param name="print">Where the cost lines go (they count iterations only with the full batch); none when null.</param>
    public static TrainingHistory TrainModel(Network<double> network, Matrix<double> x, int[] y, double learningRate, int numIterations,
        GradientDescent? descent = null, UpdateRule? rule = null, Action<string>? print = null)
    {
        return network.Fit(x, y, new TrainingOptions
        {
            // With the full batch, one epoch is one iteration of the article's loop.
            Epochs = numIterations,
            LearningRate = learningRate,
            GradientDescent = descent ?? new BatchGradientDescent(),
            UpdateRule = rule ?? new Plain(),
            // Seeds the shuffling of mini-batches; the article's full batch is never shuffled.
            Seed = 1,
            Progress = new SynchronousProgress<EpochRecord>(record =>
            {
                // record.Loss is the cost of the epoch's forward pass, before its update: the article's cost for
                // iteration i (from 0), which compute_cost returns before update_parameters runs.
                int i = record.Epoch - 1;
                if (i % 100 == 0)
                {
                    print?.Invoke($"Cost after iteration {i}: {record.Loss}");
                }
            }),
        });
    }
}
