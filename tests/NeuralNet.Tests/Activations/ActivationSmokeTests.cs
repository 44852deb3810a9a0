using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;

namespace NeuralNet.Tests.Activations;

public class ActivationSmokeTests
{
    [Fact]
    public void Relu_zeroes_negative_inputs()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfArray(new double[,] { { -1, 2 } });
        Activation.Relu.Apply(z).ToRowMajorArray().Should().Equal(0, 2);
    }
}
