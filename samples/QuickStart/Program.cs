using NeuralNet;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

// Load the bundled MNIST subset: 8,000 training and 2,000 test images, pixels scaled to [0, 1].
string data = Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k");
Dataset<float> train = Mnist.Load<float>(data, train: true);
Dataset<float> test = Mnist.Load<float>(data, train: false);

// 784 inputs → 128 ReLU units → 10 logits; softmax + cross-entropy is fused into the loss.
Network<float> network = Network.Sequential(784)
    .Dense(128, Activation.Relu)
    .Dense(10)
    .Build(Loss.SoftmaxCrossEntropy, seed: 42);

// Mini-batch gradient descent (32 images per update) with momentum, reshuffled every epoch.
TrainingHistory history = network.Fit(train, new TrainingOptions
{
    Epochs = 5,
    LearningRate = 0.05,
    GradientDescent = new MiniBatchGradientDescent(32),
    UpdateRule = new Momentum(0.9),
    Seed = 42,
});

foreach (EpochRecord epoch in history.Epochs)
{
    Console.WriteLine($"epoch {epoch.Epoch}: loss {epoch.Loss:F4}");
}

Console.WriteLine($"test accuracy: {network.Accuracy(test.Features, test.Labels!):F4}");
network.Save("digits.nnet");
Network<float> reloaded = Network.Load<float>("digits.nnet");
Console.WriteLine($"reloaded predicts digit {reloaded.PredictClasses(test.Features)[0]} for the first test image (label {test.Labels![0]})");
