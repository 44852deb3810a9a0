// The article's final example, run: an L-layer network with three sigmoid hidden layers of 10, 20 and 30 units and a
// softmax output of 2 units, weights randn·0.01 and biases zero, trained by full-batch gradient descent at learning
// rate 0.01 for 1,000 iterations, printing the cost every 100 iterations. The data are 400 points of two interleaved
// half-moons, which no straight line separates. Then what the article does not say, measured on the same data: the
// cost does not move, why (the gradient that reaches each layer), and which changes make the same network learn.
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Initializers;
using NeuralNet.Samples.ArticleExample;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

const int Seed = 1;
const int NumIterations = 1000;
(Matrix<double> x, int[] labels) = HalfMoons.Generate(count: 400, noise: 0.1, seed: Seed);
Matrix<double> y = OneHot.Encode<double>(labels, 2);

// The article's program.
Setup article = Setup.Article;
Network<double> network = Article.BuildModel(article, Seed);
Article.TrainModel(network, x, labels, learningRate: 0.01, numIterations: NumIterations, print: Console.WriteLine);

// 1. Does the cost move from ln 2, the cost of answering ½ for both classes? The same seed draws the same starting
// weights, so the untrained network is the one the article's program started from.
Network<double> untrained = Article.BuildModel(article, Seed);
double firstCost = untrained.ComputeLoss(x, y);
double cost = network.ComputeLoss(x, y);
Console.WriteLine();
Console.WriteLine(Invariant($"After {NumIterations:N0} iterations the cost is {cost:F10} (ln 2 = {Math.Log(2):F10}), {firstCost - cost:0.0e+00} below where it started; training accuracy {network.Accuracy(x, labels):F2}."));

// 2. Why: the gradient that reaches each layer's weights at the first iteration. On the way back every layer
// multiplies it by its weights, and a sigmoid layer also by its slope, at most ¼: Glorot initialisation makes the
// weights larger, ReLU makes the slope 1.
Setup glorot = article with { Name = "Glorot initialisation", Weights = Initializer.GlorotNormal };
Setup reluHe = article with { Name = "ReLU + He initialisation", Hidden = Activation.Relu, Weights = Initializer.HeNormal };
Setup[] starts = [article with { Name = "the article's" }, glorot, reluHe];
Network<double>[] started = [.. starts.Select(setup => Article.BuildModel(setup, Seed))];
double[][] norms = [.. started.Select(n => NetworkHealth.MeasureGradientNorms(n, x, y).Where(g => g.Parameter == "weights").Select(g => g.Norm).ToArray())];

Console.WriteLine();
Console.WriteLine("The weights' gradient ‖dW‖ at iteration 0, first layer to last, and the cost it starts from:");
Console.WriteLine($"| layer | {string.Join(" | ", starts.Select(s => s.Name))} |");
Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", starts.Length + 1)));
for (int l = 0; l < network.Layers.Count; l++)
{
    Console.WriteLine(Invariant($"| {l + 1}: {network.Layers[l].InputSize}→{network.Layers[l].OutputSize} | {string.Join(" | ", norms.Select(n => n[l].ToString("0.0e+00", CultureInfo.InvariantCulture)))} |"));
}

Console.WriteLine($"| cost at iteration 0 | {string.Join(" | ", started.Select(n => n.ComputeLoss(x, y).ToString("F4", CultureInfo.InvariantCulture)))} |");

// 3. What makes the same network learn: each change alone, then two that work together, from the same seed.
Setup[] setups =
[
    article,
    glorot,
    article with { Name = "learning rate 1.0", LearningRate = 1.0 },
    article with { Name = "learning rate 3.0", LearningRate = 3.0 },
    article with { Name = "ReLU hidden layers", Hidden = Activation.Relu },
    article with { Name = "mini-batches of 32", Descent = new MiniBatchGradientDescent(32) },
    article with { Name = "Adam", Rule = new Adam() },
    glorot with { Name = "Glorot initialisation + learning rate 1.0", LearningRate = 1.0 },
    reluHe with { Name = "ReLU + He initialisation + learning rate 0.1", LearningRate = 0.1 },
];
Outcome[] outcomes = [.. setups.Select(setup => Outcome.Measure(setup, x, labels, Seed, NumIterations))];

Console.WriteLine();
Console.WriteLine(Invariant($"The same network and data, {NumIterations:N0} epochs each, one change at a time and then two together:"));
Console.WriteLine("| change | updates | cost after training | training accuracy |");
Console.WriteLine("|---|---|---|---|");
foreach (Outcome outcome in outcomes)
{
    Console.WriteLine(outcome.ToMarkdownRow());
}

// The first row is the article's own program, not a change.
Outcome best = outcomes.Skip(1).OrderByDescending(o => o.Accuracy).ThenBy(o => o.Cost).First();
Console.WriteLine();
Console.WriteLine(Invariant($"best change: {best.Change}, training accuracy: {best.Accuracy:F2}"));

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
