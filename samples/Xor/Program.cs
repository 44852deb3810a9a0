// Trains two networks on XOR, the article's first claim made visible: without a non-linear hidden layer a
// network can only draw a straight boundary and gets at most 3 of the 4 points right; with one, it learns XOR.
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

Matrix<float> inputs = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
int[] labels = [0, 1, 1, 0];

var options = new TrainingOptions
{
    Epochs = 2000,
    LearningRate = 0.1,
    GradientDescent = new BatchGradientDescent(),
    UpdateRule = new Adam(),
    Seed = 1,
};

// A single dense layer from the inputs to the output: a linear model behind a sigmoid.
Network<float> linear = Network.Sequential(2)
    .Dense(1)
    .Build(Loss.SigmoidBinaryCrossEntropy, seed: 1);
TrainingHistory linearHistory = linear.Fit(inputs, labels, options);

// The same, with a hidden layer of four tanh units in between.
Network<float> hidden = Network.Sequential(2)
    .Dense(4, Activation.Tanh)
    .Dense(1)
    .Build(Loss.SigmoidBinaryCrossEntropy, seed: 1);
TrainingHistory hiddenHistory = hidden.Fit(inputs, labels, options);

Console.WriteLine($"linear:       {linear}");
Console.WriteLine($"              final loss {linearHistory.FinalLoss:F4}");
Console.WriteLine($"hidden-layer: {hidden}");
Console.WriteLine($"              final loss {hiddenHistory.FinalLoss:F4}");
Console.WriteLine($"linear accuracy: {linear.Accuracy(inputs, labels):F2}");
Console.WriteLine($"hidden-layer accuracy: {hidden.Accuracy(inputs, labels):F2}");
