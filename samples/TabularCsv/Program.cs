using System.Globalization;
using TabularCsv;

// dotnet run                                  trains on data/synthetic-penguins.csv, writes penguins.nnet and penguins.onnx
// dotnet run -- predict 47.5 15.0 217 5080    answers for one raw row, from both files
if (args is ["predict", .. string[] values])
{
    float[] row = [.. values.Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
    (string neuralNet, string onnxRuntime) = Serve.Predict("penguins.nnet", "penguins.onnx", row);
    Console.WriteLine($"NeuralNet: {neuralNet}; ONNX Runtime: {onnxRuntime}");
}
else
{
    Train.Run(Path.Combine(AppContext.BaseDirectory, "data", "synthetic-penguins.csv"), "penguins.nnet");
}
