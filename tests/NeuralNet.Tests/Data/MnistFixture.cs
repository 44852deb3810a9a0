using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>The bundled MNIST subset, loaded once for all tests of <see cref="MnistTests"/>.</summary>
public sealed class MnistFixture
{
    public MnistFixture()
    {
        Train = Mnist.Load<float>(Directory, train: true);
        Test = Mnist.Load<float>(Directory, train: false);
    }

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k");

    public Dataset<float> Train { get; }

    public Dataset<float> Test { get; }
}
