using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>Runs an ONNX model in ONNX Runtime on a batch of rows.</summary>
internal static class OnnxRuntimeRunner
{
    public static Matrix<T> Run<T>(InferenceSession session, Matrix<T> inputs, string inputName = "input", string outputName = "output")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] data = inputs.ToRowMajorArray();
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(data, [inputs.RowCount, inputs.ColumnCount]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [inputName], [input], [outputName]);
        OrtValue output = results[0];
        long[] shape = output.GetTensorTypeAndShape().Shape;
        shape.Should().HaveCount(2, "the graph outputs batch × outputs");
        ReadOnlySpan<T> values = output.GetTensorDataAsSpan<T>();
        var result = Matrix<T>.Build.Dense((int)shape[0], (int)shape[1]);
        for (int i = 0; i < result.RowCount; i++)
        {
            for (int j = 0; j < result.ColumnCount; j++)
            {
                result[i, j] = values[(i * result.ColumnCount) + j];
            }
        }

        return result;
    }

    public static double MaxAbsoluteDifference<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        a.RowCount.Should().Be(b.RowCount);
        a.ColumnCount.Should().Be(b.ColumnCount);
        double max = 0;
        for (int i = 0; i < a.RowCount; i++)
        {
            for (int j = 0; j < a.ColumnCount; j++)
            {
                max = Math.Max(max, Math.Abs(double.CreateChecked(a[i, j]) - double.CreateChecked(b[i, j])));
            }
        }

        return max;
    }
}
