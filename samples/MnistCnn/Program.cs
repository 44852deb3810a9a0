// Trains a small convolutional network on the bundled MNIST subset: 1×28×28 → conv 8@5×5 ReLU → max-pool 2 →
// conv 16@5×5 ReLU → max-pool 2 → flatten → dense 10 (softmax + cross-entropy), with SGD, momentum 0.9, a cosine
// learning rate, weight decay and training images moved by up to a pixel afresh each epoch. It saves the model, draws
// the first layer's filters and the test digits it got wrong, and prints the test accuracy of the saved model,
// reloaded, as its last line.
using System.Globalization;
using MnistCnn;

CnnOptions options;
try
{
    options = CnnOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CnnOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(CnnOptions.Usage);
    return 0;
}

CnnResult result = CnnTraining.Run(options, Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {result.Accuracy:F4}"));
return 0;
