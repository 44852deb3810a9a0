using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.TestSupport;

/// <summary>Finite-difference checks of one layer's training-mode backward pass, in float64.</summary>
internal static class LayerCheck
{
    /// <summary>
    /// The largest relative error of dX and of every parameter's gradient against central differences, each
    /// forward pass drawing from a context seeded <paramref name="seed"/> (so a dropout mask stays fixed).
    /// </summary>
    public static double MaxError(Layer<double> layer, Matrix<double> x, Matrix<double> upstream, long seed = 3)
    {
        Matrix<double> Output() => layer.Forward(x, new TrainingContext(new RandomSource(seed)));

        layer.ZeroGradients();
        Output();
        Matrix<double> dx = layer.Backward(upstream).Clone();
        Matrix<double>[] analytic = [.. layer.Parameters.Select(p => p.Gradient.Clone())];

        Matrix<double> numericalDx = GradientCheck.Numerical(Output, upstream, x);
        GradientCheck.ShouldMatch(dx, numericalDx, "the input");
        double worst = GradientCheck.MaxRelativeError(dx, numericalDx);
        for (int p = 0; p < analytic.Length; p++)
        {
            Parameter<double> parameter = layer.Parameters[p];
            Matrix<double> numerical = GradientCheck.Numerical(Output, upstream, parameter.Value);
            GradientCheck.ShouldMatch(analytic[p], numerical, parameter.Name);
            worst = Math.Max(worst, GradientCheck.MaxRelativeError(analytic[p], numerical));
        }

        return worst;
    }

    /// <summary>The largest <see cref="PyTorchReference.Difference"/> over two matrices of the same shape.</summary>
    public static double MaxDifference(Matrix<double> actual, Matrix<double> expected)
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        double worst = 0;
        for (int i = 0; i < actual.RowCount; i++)
        {
            for (int j = 0; j < actual.ColumnCount; j++)
            {
                worst = Math.Max(worst, PyTorchReference.Difference(actual[i, j], expected[i, j]));
            }
        }

        return worst;
    }

    /// <summary>A 1 × n matrix of the fixture list under <paramref name="key"/>.</summary>
    public static Matrix<double> Row(string key) => Matrix<double>.Build.DenseOfRowArrays(PyTorchReference.Vector(PyTorchReference.Layers[key]!));

    /// <summary>Sets a parameter from the fixture list under <paramref name="key"/>.</summary>
    public static void Set(Parameter<double> parameter, string key) => Row(key).CopyTo(parameter.Value);
}
