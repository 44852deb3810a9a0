using Microsoft.ML;
using Microsoft.ML.Data;
using NeuralNet.MLNet.Tests.TestSupport;

namespace NeuralNet.MLNet.Tests;

public sealed class SaveLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnet-mlnet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_model_loaded_in_a_fresh_process_predicts_what_it_did_before_saving()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Wine.LoadShuffled(ml);
        ITransformer model = Wine.Pipeline(ml, Wine.Options).Fit(data);
        string path = Path.Combine(_directory, "wine.zip");
        ml.Model.Save(model, data.Schema, path);
        string[] before = [.. ml.Data.CreateEnumerable<WinePrediction>(model.Transform(Wine.Load(ml)), reuseRowObject: false)
            .Select(p => p.PredictedLabel + ";" + string.Join(",", p.Score.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture))))];

        IReadOnlyList<string> after = ChildProcess.Predict(path, Wine.Path);

        after.Should().Equal(before, "the loaded model runs the same ONNX graph on the same features, so every score is the same float");
        before.Should().HaveCount(178);
    }

    [Fact]
    public void A_binary_and_a_regression_model_load_and_predict_the_same_in_process()
    {
        var ml = new MLContext(seed: 1);
        IDataView binaryData = Synthetic.Binary(ml, 300, seed: 5);
        IDataView regressionData = Synthetic.Regression(ml, 300, seed: 6);
        ITransformer binary = ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options).Fit(binaryData);
        ITransformer regression = ml.Regression.Trainers.NeuralNet(Synthetic.Options).Fit(regressionData);
        string binaryPath = Path.Combine(_directory, "binary.zip"), regressionPath = Path.Combine(_directory, "regression.zip");
        ml.Model.Save(binary, binaryData.Schema, binaryPath);
        ml.Model.Save(regression, regressionData.Schema, regressionPath);

        var fresh = new MLContext();
        ITransformer loadedBinary = fresh.Model.Load(binaryPath, out _);
        ITransformer loadedRegression = fresh.Model.Load(regressionPath, out _);

        loadedBinary.Transform(binaryData).GetColumn<float>("Probability").Should().Equal(binary.Transform(binaryData).GetColumn<float>("Probability"));
        loadedBinary.Transform(binaryData).GetColumn<bool>("PredictedLabel").Should().Equal(binary.Transform(binaryData).GetColumn<bool>("PredictedLabel"));
        loadedRegression.Transform(regressionData).GetColumn<float>("Score").Should().Equal(regression.Transform(regressionData).GetColumn<float>("Score"));
    }
}
