// Uses NeuralNet and NeuralNet.Onnx as a package user does: trains 2 → 8 tanh → 1 on XOR, checks that it learned
// all four points, exports it to ONNX and imports it back, and checks the copy predicts the same; then trains a network
// with an activation of its own (Softsign.cs), registered by name, and saves and loads it; then trains XOR as an ML.NET
// pipeline with NeuralNet.MLNet and saves and loads it with ML.NET (MLNetCheck.cs).
// Exits 0 when all holds, 1 with the reason otherwise.
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

string? version = typeof(Network).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"NeuralNet {version} from {typeof(Network).Assembly.Location}");
Console.WriteLine($"NeuralNet.Onnx from {typeof(OnnxModel).Assembly.Location}");

Matrix<float> inputs = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
int[] labels = [0, 1, 1, 0];

Network<float> network = Network.Sequential(2)
    .Dense(8, Activation.Tanh)
    .Dense(1)
    .Build(Loss.SigmoidBinaryCrossEntropy, seed: 1);

TrainingHistory history = network.Fit(inputs, labels, new TrainingOptions
{
    Epochs = 1000,
    LearningRate = 0.05,
    GradientDescent = new BatchGradientDescent(),
    UpdateRule = new Adam(),
    Seed = 1,
});

Matrix<float> probabilities = network.Predict(inputs);
int[] predicted = network.PredictClasses(inputs);
Console.WriteLine($"{network}: loss {history.Epochs[0].Loss:F4} → {history.FinalLoss:F4} after {history.Epochs.Count} epochs");

int wrong = 0;
for (int i = 0; i < labels.Length; i++)
{
    bool right = predicted[i] == labels[i];
    wrong += right ? 0 : 1;
    Console.WriteLine($"  XOR({inputs[i, 0]}, {inputs[i, 1]}) = {labels[i]}: p = {probabilities[i, 0]:F3}, predicted {predicted[i]} {(right ? "ok" : "WRONG")}");
}

if (wrong > 0)
{
    Console.Error.WriteLine($"PackageConsumer: the network from the NeuralNet package got {wrong} of 4 XOR points wrong; expected all 4 right.");
    return 1;
}

// The ONNX package: the exported model, imported back, predicts exactly what the network does.
byte[] onnx = OnnxModel.ExportToBytes(network);
Network<float> imported = OnnxModel.Import<float>(onnx);
if (!imported.Predict(inputs).Equals(probabilities))
{
    Console.Error.WriteLine($"PackageConsumer: the network exported to ONNX ({onnx.Length} bytes) and imported back predicts differently.");
    return 1;
}

// An activation of the user's own: registered once, it trains, saves and loads like a built-in.
ComponentRegistry.Activations.Register("consumer.softsign", _ => new Softsign());
Network<float> custom = Network.Sequential(2).Dense(8, new Softsign()).Dense(1).Build(Loss.SigmoidBinaryCrossEntropy, seed: 2);
custom.Fit(inputs, labels, new TrainingOptions { Epochs = 2000, LearningRate = 0.05, GradientDescent = new BatchGradientDescent(), UpdateRule = new Adam(), Seed = 2 });
using var saved = new MemoryStream();
custom.Save(saved);
Network<float> loaded = Network.Load<float>(new MemoryStream(saved.ToArray()));
int customWrong = loaded.PredictClasses(inputs).Zip(labels).Count(p => p.First != p.Second);
if (customWrong > 0 || !loaded.Predict(inputs).Equals(custom.Predict(inputs)))
{
    Console.Error.WriteLine($"PackageConsumer: the network with a registered activation of its own ({loaded}) got {customWrong} of 4 XOR points wrong after saving and loading, or predicts differently from the saved one.");
    return 1;
}

// The ML.NET package: a trainer in an ML.NET pipeline, saved and loaded by ML.NET.
if (MLNetCheck.Run() is { } failure)
{
    Console.Error.WriteLine($"PackageConsumer: {failure}");
    return 1;
}

Console.WriteLine($"PackageConsumer: all 4 XOR points right; the ONNX export ({onnx.Length} bytes) imports back with identical predictions; {loaded} saves and loads with identical predictions.");
return 0;
