using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Training;

namespace NeuralNet.Samples.ArticleExample;

/// <summary>What a setup reached: how many updates it made, its cost on all the data after training, and its training accuracy.</summary>
internal sealed record Outcome(string Change, int Updates, double Cost, double Accuracy)
{
    /// <summary>Builds the article's network from <paramref name="setup"/>, trains it for <paramref name="numIterations"/> epochs and measures it.</summary>
    public static Outcome Measure(Setup setup, Matrix<double> x, int[] labels, int seed, int numIterations)
    {
        Network<double> network = Article.BuildModel(setup, seed);
        TrainingHistory history = Article.TrainModel(network, x, labels, setup.LearningRate, numIterations, setup.Descent, setup.Rule);
        double cost = network.ComputeLoss(x, OneHot.Encode<double>(labels, network.OutputSize));
        return new Outcome(setup.Name, history.Epochs.Sum(epoch => epoch.Updates), cost, network.Accuracy(x, labels));
    }

    /// <summary>A row of the Markdown table the sample prints and the README shows.</summary>
    public string ToMarkdownRow() => string.Create(CultureInfo.InvariantCulture, $"| {Change} | {Updates:N0} | {Cost:F4} | {Accuracy:F4} |");
}
