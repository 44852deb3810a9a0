using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Training;

// Train a digit classifier on the bundled MNIST subset.
string data = Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k");
Dataset<float> train = Mnist.Load<float>(data, train: true);
Dataset<float> test = Mnist.Load<float>(data, train: false);
Network<float> network = Network.Sequential(784).Dense(128, Activation.Relu).Dense(10).Build(Loss.SoftmaxCrossEntropy, seed: 1);
network.Fit(train, new TrainingOptions { Epochs = 3, LearningRate = 0.1, Seed = 1 });

// Export: Gemm → Relu → Gemm → Softmax, input "input" (batch × 784), output "output" (batch × 10 probabilities).
OnnxModel.Export(network, "digits.onnx");

// Serve it with ONNX Runtime, which reads the same file in C#, Python, C++, Java or JavaScript.
using var session = new InferenceSession("digits.onnx");
using OrtValue images = OrtValue.CreateTensorValueFromMemory(test.Features.ToRowMajorArray(), [test.Count, 784]);
using var runOptions = new RunOptions();
using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["input"], [images], ["output"]);
float[] probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();

// The served model and the network agree on every test image.
int[] served = [.. Enumerable.Range(0, test.Count).Select(i => TensorPrimitives.IndexOfMax<float>(probabilities.AsSpan(i * 10, 10)))];
int[] predicted = network.PredictClasses(test.Features);
Console.WriteLine($"ONNX Runtime and NeuralNet agree on {served.Zip(predicted).Count(p => p.First == p.Second)} of {test.Count} test images");
Console.WriteLine($"served accuracy: {served.Zip(test.Labels!).Count(p => p.First == p.Second) / (double)test.Count:F4}");

// Import it back (a PyTorch export imports the same way) and train it further.
Network<float> imported = OnnxModel.Import<float>("digits.onnx");
imported.Fit(train, new TrainingOptions { Epochs = 1, LearningRate = 0.05, Seed = 2 });
Console.WriteLine($"imported, one more epoch: test accuracy {imported.Accuracy(test.Features, test.Labels!):F4}");
