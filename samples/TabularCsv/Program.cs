using System.Globalization;
using TabularCsv;

// dotnet run                                  trains on data/penguins_raw.csv, writes penguins.nnet and penguins.onnx
// dotnet run -- predict 52 19 197 4150        answers for one raw row (Chinstrap sample 26), from both files
if (args is ["predict", .. string[] values])
{
    float[] row = [.. values.Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
    (string neuralNet, string onnxRuntime) = Serve.Predict("penguins.nnet", "penguins.onnx", row);
    Console.WriteLine($"NeuralNet: {neuralNet}; ONNX Runtime: {onnxRuntime}");
}
else
{
    Train.Run(Path.Combine(AppContext.BaseDirectory, "data", "penguins_raw.csv"), "penguins.nnet");
}
