using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Samples.ArticleExample;

/// <summary>How the article's network is built and trained: the article's own choices, or them with one thing changed (<c>with { … }</c>).</summary>
/// <param name="Name">What differs from the article's program.</param>
internal sealed record Setup(string Name)
{
    /// <summary>The article's program: sigmoid hidden layers, weights randn·0.01, learning rate 0.01, full-batch plain descent.</summary>
    public static Setup Article { get; } = new("none (the article's program)");

    public Activation Hidden { get; init; } = Activation.Sigmoid;

    public Initializer Weights { get; init; } = Initializer.RandomNormal(0.01);

    public double LearningRate { get; init; } = 0.01;

    public GradientDescent Descent { get; init; } = new BatchGradientDescent();

    public UpdateRule Rule { get; init; } = new Plain();
}
