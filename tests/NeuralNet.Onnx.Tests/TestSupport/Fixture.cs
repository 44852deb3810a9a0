using System.Numerics;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>A PyTorch-exported model from Fixtures/ with the inputs and PyTorch's outputs stored beside it.</summary>
internal sealed class Fixture
{
    private Fixture(string name, double[][] input, double[][] output, string dtype)
    {
        Name = name;
        Input = input;
        Output = output;
        Dtype = dtype;
    }

    public string Name { get; }

    public string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", Name + ".onnx");

    public double[][] Input { get; }

    public double[][] Output { get; }

    public string Dtype { get; }

    public static Fixture Load(string name)
    {
        string json = File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json"));
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new Fixture(name, Rows(root.GetProperty("input")), Rows(root.GetProperty("output")), root.GetProperty("dtype").GetString()!);
    }

    public static Matrix<T> ToMatrix<T>(double[][] rows)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Matrix<T>.Build.Dense(rows.Length, rows[0].Length, (i, j) => T.CreateChecked(rows[i][j]));

    private static double[][] Rows(JsonElement element) =>
        [.. element.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
}
