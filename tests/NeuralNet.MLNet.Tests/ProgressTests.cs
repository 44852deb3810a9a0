using Microsoft.ML;
using Microsoft.ML.Runtime;
using NeuralNet.MLNet.Tests.TestSupport;
using NeuralNet.Training;

namespace NeuralNet.MLNet.Tests;

public class ProgressTests
{
    [Fact]
    public void Every_epoch_is_logged_to_the_MLContext_of_the_catalog()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.StartsWith("NeuralNet", StringComparison.Ordinal) && e.Kind == ChannelMessageKind.Info)
            {
                lock (messages)
                {
                    messages.Add(e.Message);
                }
            }
        };

        ml.Regression.Trainers.NeuralNet(Synthetic.Options with { Epochs = 7, ValidationFraction = 0.2 }).Fit(Synthetic.Regression(ml, 200, seed: 1));

        string[] epochs = [.. messages.Where(m => m.Contains("Epoch ", StringComparison.Ordinal))];
        epochs.Should().HaveCount(7);
        epochs[0].Should().Contain("Epoch 1/7: loss ").And.Contain("validation R²");
        epochs[6].Should().Contain("Epoch 7/7");
        messages.Should().Contain(m => m.Contains("on 200 rows of 4 features", StringComparison.Ordinal));
    }

    [Fact]
    public void A_progress_receives_every_epochs_record_in_order()
    {
        var ml = new MLContext(seed: 1);
        var records = new List<EpochRecord>();
        var progress = new SynchronousProgress<EpochRecord>(records.Add);

        NeuralNetPredictionTransformer model = ml.BinaryClassification.Trainers.NeuralNet(Synthetic.Options with { Epochs = 5, Progress = progress }).Fit(Synthetic.Binary(ml, 200, seed: 1));

        records.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4, 5);
        records.Should().OnlyContain(r => r.Accuracy != null && double.IsFinite(r.Loss));
        model.Model.History.Epochs.Should().HaveCount(5);
    }

    [Fact]
    public void Early_stopping_ends_training_before_the_last_epoch()
    {
        var ml = new MLContext(seed: 1);

        // A rate so high the validation loss soon stops improving.
        NeuralNetPredictionTransformer model = ml.Regression.Trainers.NeuralNet(Synthetic.Options with
        {
            Epochs = 200,
            LearningRate = 0.05,
            ValidationFraction = 0.3,
            EarlyStoppingPatience = 3,
        }).Fit(Synthetic.Regression(ml, 200, seed: 1));

        model.Model.History.StoppedEarly.Should().BeTrue();
        model.Model.History.Epochs.Count.Should().BeLessThan(200);
    }
}
