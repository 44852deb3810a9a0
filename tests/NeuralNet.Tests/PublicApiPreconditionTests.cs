using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Evaluation;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests;

/// <summary>
/// Preconditions of the public API that no other test class covers: mostly null arguments, plus a few
/// ranges. Each test pins the exception type and the parameter it names. See PRECONDITIONS.md.
/// </summary>
public class PublicApiPreconditionTests
{
    private static Matrix<double> Ones(int rows, int columns) => Matrix<double>.Build.Dense(rows, columns, 1.0);

    private static Network<double> SmallNetwork() =>
        Network.Sequential<double>(2).Dense(3, Activation.Tanh).Dense(1).Build(Loss.MeanSquaredError, seed: 1);

    private static Dataset<double> SmallRegression() => Dataset.ForRegression(Ones(4, 2), Ones(4, 1));

    private static void ShouldRejectNull(Action act, string paramName) =>
        act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be(paramName);

    // Network (static)

    [Fact]
    public void Network_Load_rejects_a_null_path() => ShouldRejectNull(() => Network.Load<float>((string)null!), "path");

    [Fact]
    public void Network_Load_rejects_an_empty_path()
    {
        Action act = () => Network.Load<float>(string.Empty);

        act.Should().ThrowExactly<ArgumentException>().And.ParamName.Should().Be("path");
    }

    [Fact]
    public void Network_Load_rejects_a_null_stream() => ShouldRejectNull(() => Network.Load<double>((Stream)null!), "stream");

    // Network<T>

    [Fact]
    public void Network_constructor_rejects_null_layers() =>
        ShouldRejectNull(() => _ = new Network<double>(null!, Loss.MeanSquaredError, 0), "layers");

    [Fact]
    public void Network_constructor_rejects_a_null_loss() =>
        ShouldRejectNull(() => _ = new Network<double>([new Dense<double>(2, 1)], null!, 0), "loss");

    [Fact]
    public void NetworkBuilder_Build_rejects_a_null_loss() =>
        ShouldRejectNull(() => Network.Sequential<double>(2).Dense(1).Build(null!), "loss");

    [Fact]
    public void Network_Infer_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().Infer(null!), "inputs");

    [Fact]
    public void Network_Predict_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().Predict((Matrix<double>)null!), "inputs");

    [Fact]
    public void Network_Predict_rejects_a_null_sample() => ShouldRejectNull(() => SmallNetwork().Predict((IReadOnlyList<double>)null!), "sample");

    [Fact]
    public void Network_PredictClasses_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().PredictClasses(null!), "inputs");

    [Fact]
    public void Network_Accuracy_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().Accuracy(null!, [0]), "inputs");

    [Fact]
    public void Network_Accuracy_rejects_null_labels() => ShouldRejectNull(() => SmallNetwork().Accuracy(Ones(1, 2), null!), "labels");

    [Fact]
    public void Network_ComputeLoss_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().ComputeLoss(null!, Ones(1, 1)), "inputs");

    [Fact]
    public void Network_ComputeLoss_rejects_null_targets() => ShouldRejectNull(() => SmallNetwork().ComputeLoss(Ones(1, 2), null!), "targets");

    [Fact]
    public void Network_Backpropagate_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().Backpropagate(null!, Ones(1, 1)), "inputs");

    [Fact]
    public void Network_Backpropagate_rejects_null_targets() => ShouldRejectNull(() => SmallNetwork().Backpropagate(Ones(1, 2), null!), "targets");

    [Fact]
    public void Network_Fit_rejects_null_inputs() => ShouldRejectNull(() => SmallNetwork().Fit(null!, Ones(1, 1)), "inputs");

    [Fact]
    public void Network_Fit_rejects_null_targets() => ShouldRejectNull(() => SmallNetwork().Fit(Ones(1, 2), (Matrix<double>)null!), "targets");

    [Fact]
    public void Network_Fit_rejects_null_labels() => ShouldRejectNull(() => SmallNetwork().Fit(Ones(1, 2), (IReadOnlyList<int>)null!), "labels");

    [Fact]
    public void Network_Fit_rejects_a_null_dataset() => ShouldRejectNull(() => SmallNetwork().Fit((Dataset<double>)null!), "train");

    [Fact]
    public void Network_Fit_rejects_null_batches() => ShouldRejectNull(() => SmallNetwork().Fit((IEnumerable<DataBatch<double>>)null!), "batches");

    [Fact]
    public void Network_Fit_rejects_a_missing_gradient_descent() =>
        ShouldRejectNull(() => SmallNetwork().Fit(Ones(2, 2), Ones(2, 1), new TrainingOptions { GradientDescent = null! }), "GradientDescent");

    [Fact]
    public void Network_Fit_rejects_a_missing_update_rule() =>
        ShouldRejectNull(() => SmallNetwork().Fit(Ones(2, 2), Ones(2, 1), new TrainingOptions { UpdateRule = null! }), "UpdateRule");

    [Fact]
    public void Network_Fit_rejects_a_training_dataset_with_the_wrong_feature_count()
    {
        Action act = () => SmallNetwork().Fit(Dataset.ForRegression(Ones(4, 3), Ones(4, 1)));

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*expects 2 columns in train features but got 4×3*")
            .And.ParamName.Should().Be("train features");
    }

    [Fact]
    public void Network_Fit_rejects_validation_data_with_the_wrong_target_count()
    {
        Action act = () => SmallNetwork().Fit(SmallRegression(), validation: Dataset.ForRegression(Ones(2, 2), Ones(2, 3)));

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*expects 1 columns in validation targets but got 2×3*")
            .And.ParamName.Should().Be("validation targets");
    }

    [Fact]
    public void Network_Fit_rejects_validation_data_with_another_class_count()
    {
        Network<double> classifier = Network.Sequential<double>(2).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        Dataset<double> train = Dataset.ForClassification(Ones(3, 2), [0, 1, 2]);
        Dataset<double> validation = Dataset.ForClassification(Ones(2, 2), [0, 1]);

        Action act = () => classifier.Fit(train, validation: validation);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*separates 3 classes, but validation has 2*")
            .And.ParamName.Should().Be("validation");
    }

    [Fact]
    public async Task Network_FitAsync_rejects_null_batches()
    {
        Func<Task> act = () => SmallNetwork().FitAsync(null!);

        (await act.Should().ThrowExactlyAsync<ArgumentNullException>()).And.ParamName.Should().Be("batches");
    }

    [Fact]
    public void Network_Save_rejects_a_null_path() => ShouldRejectNull(() => SmallNetwork().Save((string)null!), "path");

    [Fact]
    public void Network_Save_rejects_a_null_stream() => ShouldRejectNull(() => SmallNetwork().Save((Stream)null!), "stream");

    // Layers

    [Fact]
    public void Layer_Infer_rejects_null_input() => ShouldRejectNull(() => new Dense<double>(2, 1).Infer(null!), "input");

    [Fact]
    public void Layer_Forward_rejects_null_input() => ShouldRejectNull(() => new Dense<double>(2, 1).Forward(null!), "input");

    [Fact]
    public void Layer_Backward_rejects_a_null_gradient()
    {
        var layer = new Dense<double>(2, 1);
        layer.Forward(Ones(1, 2));

        ShouldRejectNull(() => layer.Backward(null!), "outputGradient");
    }

    // Losses and activations

    [Fact]
    public void Loss_Compute_rejects_null_output() => ShouldRejectNull(() => Loss.MeanSquaredError.Compute(null!, Ones(1, 1)), "output");

    [Fact]
    public void Loss_Compute_rejects_a_null_target() => ShouldRejectNull(() => Loss.MeanSquaredError.Compute(Ones(1, 1), null!), "target");

    [Fact]
    public void Loss_Gradient_rejects_null_output() => ShouldRejectNull(() => Loss.SoftmaxCrossEntropy.Gradient(null!, Ones(1, 2)), "output");

    [Fact]
    public void Loss_Gradient_rejects_a_null_target() => ShouldRejectNull(() => Loss.SoftmaxCrossEntropy.Gradient(Ones(1, 2), null!), "target");

    [Fact]
    public void Loss_Transform_rejects_null_output() => ShouldRejectNull(() => Loss.SigmoidBinaryCrossEntropy.Transform<double>(null!), "output");

    [Fact]
    public void Activation_Apply_rejects_null() => ShouldRejectNull(() => Activation.Sigmoid.Apply<double>(null!), "z");

    [Fact]
    public void Activation_Derivative_rejects_null_z() => ShouldRejectNull(() => Activation.Tanh.Derivative(null!, Ones(1, 1)), "z");

    [Fact]
    public void Activation_Derivative_rejects_a_null_gradient() => ShouldRejectNull(() => Activation.Tanh.Derivative(Ones(1, 1), null!), "outputGradient");

    // Update rules

    [Fact]
    public void ParameterUpdater_rejects_a_null_rule() => ShouldRejectNull(() => _ = new ParameterUpdater<double>(null!, []), "rule");

    [Fact]
    public void ParameterUpdater_rejects_null_parameters() => ShouldRejectNull(() => _ = new ParameterUpdater<double>(new Adam(), null!), "parameters");

    [Fact]
    public void ParameterUpdater_StateOf_rejects_a_null_parameter() => ShouldRejectNull(() => new ParameterUpdater<double>(new Adam(), []).StateOf(null!), "parameter");

    // Diagnostics

    [Fact]
    public void NetworkHealth_CheckGradients_rejects_a_null_network() =>
        ShouldRejectNull(() => NetworkHealth.CheckGradients<double>(null!, Ones(1, 2), Ones(1, 1)), "network");

    [Fact]
    public void NetworkHealth_CheckGradients_rejects_null_inputs() =>
        ShouldRejectNull(() => NetworkHealth.CheckGradients(SmallNetwork(), null!, Ones(1, 1)), "inputs");

    [Fact]
    public void NetworkHealth_CheckGradients_rejects_null_targets() =>
        ShouldRejectNull(() => NetworkHealth.CheckGradients(SmallNetwork(), Ones(1, 2), null!), "targets");

    [Fact]
    public void NetworkHealth_MeasureGradientNorms_rejects_a_null_network() =>
        ShouldRejectNull(() => NetworkHealth.MeasureGradientNorms<double>(null!, Ones(1, 2), Ones(1, 1)), "network");

    [Fact]
    public void NetworkHealth_MeasureGradientNorms_rejects_null_inputs() =>
        ShouldRejectNull(() => NetworkHealth.MeasureGradientNorms(SmallNetwork(), null!, Ones(1, 1)), "inputs");

    [Fact]
    public void NetworkHealth_MeasureGradientNorms_rejects_null_targets() =>
        ShouldRejectNull(() => NetworkHealth.MeasureGradientNorms(SmallNetwork(), Ones(1, 2), null!), "targets");

    [Fact]
    public void NetworkHealth_InspectActivations_rejects_a_null_network() =>
        ShouldRejectNull(() => NetworkHealth.InspectActivations<double>(null!, Ones(1, 2)), "network");

    [Fact]
    public void NetworkHealth_InspectActivations_rejects_null_inputs() =>
        ShouldRejectNull(() => NetworkHealth.InspectActivations(SmallNetwork(), null!), "inputs");

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    public void GradientCheckReport_Passed_rejects_a_tolerance_that_is_not_positive(double tolerance)
    {
        GradientCheckReport report = NetworkHealth.CheckGradients(SmallNetwork(), Ones(2, 2), Ones(2, 1));

        Action act = () => report.Passed(tolerance);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("tolerance must be a positive finite number*")
            .And.ParamName.Should().Be("tolerance");
    }

    // Training

    [Fact]
    public void TrainingHistory_WriteCsv_rejects_a_null_writer()
    {
        TrainingHistory history = SmallNetwork().Fit(Ones(2, 2), Ones(2, 1), new TrainingOptions { Epochs = 1 });

        ShouldRejectNull(() => history.WriteCsv(null!), "writer");
    }

    [Fact]
    public void CheckpointOptions_rejects_a_null_path() => ShouldRejectNull(() => _ = new CheckpointOptions(null!), "path");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void CheckpointOptions_rejects_a_blank_path(string path)
    {
        Action act = () => _ = new CheckpointOptions(path);

        act.Should().ThrowExactly<ArgumentException>().And.ParamName.Should().Be("path");
    }

    [Fact]
    public void TrainingCheckpoint_Load_rejects_a_null_path() => ShouldRejectNull(() => TrainingCheckpoint.Load<double>((string)null!), "path");

    [Fact]
    public void TrainingCheckpoint_Load_rejects_a_null_stream() => ShouldRejectNull(() => TrainingCheckpoint.Load<double>((Stream)null!), "stream");

    [Fact]
    public void TrainingCheckpoint_Resume_rejects_null_options_and_a_missing_update_rule()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-precondition-{Guid.NewGuid():N}.ckpt");
        try
        {
            SmallNetwork().Fit(SmallRegression(), new TrainingOptions { Epochs = 1, Checkpoint = new CheckpointOptions(path) });
            TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);

            ShouldRejectNull(() => checkpoint.Resume(SmallRegression(), null!), "options");
            Action missingRule = () => checkpoint.Resume(SmallRegression(), new TrainingOptions { UpdateRule = null! });
            missingRule.Should().ThrowExactly<ArgumentException>()
                .WithMessage("Expected the checkpoint's update rule*")
                .And.ParamName.Should().Be("options");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Data

    [Fact]
    public void Csv_Load_rejects_a_null_path() => ShouldRejectNull(() => Csv.Load<double>(null!), "path");

    [Fact]
    public void Mnist_Load_rejects_a_null_directory() => ShouldRejectNull(() => Mnist.Load<double>(null!, train: true), "directory");

    [Fact]
    public void Mnist_ReadImages_rejects_a_null_path() => ShouldRejectNull(() => Mnist.ReadImages(null!), "path");

    [Fact]
    public void Mnist_ReadLabels_rejects_a_null_path() => ShouldRejectNull(() => Mnist.ReadLabels(null!), "path");

    [Fact]
    public void Dataset_ForRegression_rejects_null_features() => ShouldRejectNull(() => Dataset.ForRegression(null!, Ones(1, 1)), "features");

    [Fact]
    public void Dataset_ForRegression_rejects_null_targets() => ShouldRejectNull(() => Dataset.ForRegression(Ones(1, 1), null!), "targets");

    [Fact]
    public void Dataset_ForRegression_rejects_null_feature_rows() =>
        ShouldRejectNull(() => Dataset.ForRegression<double>((IReadOnlyList<double[]>)null!, [[1.0]]), "features");

    [Fact]
    public void Dataset_ForRegression_rejects_null_target_rows() =>
        ShouldRejectNull(() => Dataset.ForRegression<double>([[1.0]], (IReadOnlyList<double[]>)null!), "targets");

    [Fact]
    public void Dataset_ForClassification_rejects_null_features() =>
        ShouldRejectNull(() => Dataset.ForClassification((Matrix<double>)null!, [0, 1]), "features");

    [Fact]
    public void Dataset_ForClassification_rejects_null_labels() =>
        ShouldRejectNull(() => Dataset.ForClassification(Ones(2, 1), null!), "labels");

    [Fact]
    public void Dataset_ForClassification_rejects_null_feature_rows() =>
        ShouldRejectNull(() => Dataset.ForClassification<double>((IReadOnlyList<double[]>)null!, [0, 1]), "features");

    [Fact]
    public void Dataset_Subset_rejects_null_indices() => ShouldRejectNull(() => SmallRegression().Subset(null!), "indices");

    [Fact]
    public void Dataset_WithFeatures_rejects_null() => ShouldRejectNull(() => SmallRegression().WithFeatures(null!), "features");

    [Fact]
    public void OneHot_Decode_rejects_null() => ShouldRejectNull(() => OneHot.Decode<double>(null!), "rows");

    [Fact]
    public void OneHot_Encode_rejects_null() => ShouldRejectNull(() => OneHot.Encode<double>(null!, 2), "labels");

    [Fact]
    public void StandardScaler_Fit_rejects_null_features() => ShouldRejectNull(() => new StandardScaler<double>().Fit((Matrix<double>)null!), "features");

    [Fact]
    public void StandardScaler_Fit_rejects_a_null_dataset() => ShouldRejectNull(() => new StandardScaler<double>().Fit((Dataset<double>)null!), "data");

    [Fact]
    public void StandardScaler_Transform_rejects_null_features() =>
        ShouldRejectNull(() => new StandardScaler<double>().Fit(Ones(2, 1)).Transform((Matrix<double>)null!), "features");

    [Fact]
    public void StandardScaler_Transform_rejects_a_null_dataset() =>
        ShouldRejectNull(() => new StandardScaler<double>().Fit(Ones(2, 1)).Transform((Dataset<double>)null!), "data");

    [Fact]
    public void StandardScaler_Fit_rejects_non_finite_features()
    {
        Matrix<double> features = Ones(2, 2);
        features[1, 0] = double.NaN;

        Action act = () => new StandardScaler<double>().Fit(features);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("features must be finite, but row 1, column 0 is NaN*")
            .And.ParamName.Should().Be("features");
    }

    [Fact]
    public void MinMaxScaler_Fit_rejects_null_features() => ShouldRejectNull(() => new MinMaxScaler<double>().Fit((Matrix<double>)null!), "features");

    [Fact]
    public void MinMaxScaler_Fit_rejects_a_null_dataset() => ShouldRejectNull(() => new MinMaxScaler<double>().Fit((Dataset<double>)null!), "data");

    [Fact]
    public void MinMaxScaler_Transform_rejects_null_features() =>
        ShouldRejectNull(() => new MinMaxScaler<double>().Fit(Ones(2, 1)).Transform((Matrix<double>)null!), "features");

    [Fact]
    public void MinMaxScaler_Transform_rejects_a_null_dataset() =>
        ShouldRejectNull(() => new MinMaxScaler<double>().Fit(Ones(2, 1)).Transform((Dataset<double>)null!), "data");

    [Fact]
    public void MinMaxScaler_Fit_rejects_non_finite_features()
    {
        Matrix<double> features = Ones(2, 2);
        features[0, 1] = double.PositiveInfinity;

        Action act = () => new MinMaxScaler<double>().Fit(features);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("features must be finite, but row 0, column 1 is *")
            .And.ParamName.Should().Be("features");
    }

    // Evaluation

    [Fact]
    public void Metrics_MeanAbsoluteError_rejects_null_expected() => ShouldRejectNull(() => Metrics.MeanAbsoluteError(null!, Ones(1, 1)), "expected");

    [Fact]
    public void Metrics_MeanAbsoluteError_rejects_null_predicted() => ShouldRejectNull(() => Metrics.MeanAbsoluteError(Ones(1, 1), null!), "predicted");

    [Fact]
    public void Metrics_RSquared_rejects_null_predicted() => ShouldRejectNull(() => Metrics.RSquared(Ones(1, 1), null!), "predicted");

    [Fact]
    public void Metrics_MeanSquaredError_rejects_null_expected() => ShouldRejectNull(() => Metrics.MeanSquaredError(null!, Ones(1, 1)), "expected");

    // Components and extension points

    [Fact]
    public void ComponentTable_Register_rejects_a_null_factory() => ShouldRejectNull(() => ComponentRegistry.Activations.Register("test.null_factory", null!), "factory");

    [Fact]
    public void ComponentTable_Create_rejects_a_null_name() => ShouldRejectNull(() => ComponentRegistry.Losses.Create(null!, new ComponentConfig()), "name");

    [Fact]
    public void ComponentTable_Create_rejects_a_null_configuration() => ShouldRejectNull(() => ComponentRegistry.Losses.Create("mean_squared_error", null!), "config");

    [Fact]
    public void LayerTable_Register_rejects_a_null_float_factory() =>
        ShouldRejectNull(() => ComponentRegistry.Layers.Register("test.null_float", null!, _ => new Dense<double>(1, 1)), "forFloat");

    [Fact]
    public void LayerTable_Register_rejects_a_null_double_factory() =>
        ShouldRejectNull(() => ComponentRegistry.Layers.Register("test.null_double", _ => new Dense<float>(1, 1), null!), "forDouble");

    [Fact]
    public void LayerTable_Create_rejects_a_null_configuration() => ShouldRejectNull(() => ComponentRegistry.Layers.Create<double>("dense", null!), "config");

    [Fact]
    public void LayerTable_Create_rejects_a_precision_other_than_float_and_double()
    {
        Action create = () => ComponentRegistry.Layers.Create<Half>("dense", new Dense<float>(2, 1).GetConfig());

        create.Should().ThrowExactly<NotSupportedException>().WithMessage("*float or double, but Half*");
    }

    [Fact]
    public void ComponentConfig_Set_rejects_null_text() => ShouldRejectNull(() => new ComponentConfig().Set("k", (string)null!), "value");

    [Fact]
    public void ComponentConfig_Set_rejects_a_null_list() => ShouldRejectNull(() => new ComponentConfig().Set("k", (IReadOnlyList<double>)null!), "values");

    [Fact]
    public void ComponentConfig_Set_rejects_a_null_component() => ShouldRejectNull(() => new ComponentConfig().Set("k", (Activation)null!), "value");

    [Fact]
    public void UpdateRule_IsSameRuleAs_rejects_null() => ShouldRejectNull(() => new Adam().IsSameRuleAs(null!), "other");

    [Fact]
    public void ParameterUpdater_rejects_a_null_entry_among_the_parameters()
    {
        Action create = () => _ = new ParameterUpdater<double>(new Plain(), [new Parameter<double>("w", 1, 1), null!]);

        create.Should().ThrowExactly<ArgumentException>().WithMessage("*parameter at position 1, but got null*").And.ParamName.Should().Be("parameters");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ParameterUpdater_rejects_a_weight_decay_that_is_negative_or_not_finite(double weightDecay)
    {
        Action create = () => _ = new ParameterUpdater<double>(new Plain(), [], weightDecay);

        create.Should().ThrowExactly<ArgumentOutOfRangeException>().And.ParamName.Should().Be("weightDecay");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void ParameterState_Buffer_rejects_an_index_out_of_range(int index)
    {
        var parameter = new Parameter<double>("w", 2, 1);
        ParameterState<double> state = new ParameterUpdater<double>(new Adam(), [parameter]).StateOf(parameter);

        Action buffer = () => state.Buffer(index);

        buffer.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage($"*2 buffers, but buffer {index}*").And.ParamName.Should().Be("index");
    }

    [Fact]
    public void TrainingContext_rejects_a_null_generator() => ShouldRejectNull(() => _ = new TrainingContext(null!), "random");

    [Fact]
    public void Layer_Forward_rejects_a_null_context() => ShouldRejectNull(() => new Dense<double>(2, 1).Forward(Ones(1, 2), null!), "context");

    [Fact]
    public void Fit_rejects_a_null_network() => ShouldRejectNull(() => ((Network<double>)null!).Fit(Ones(2, 2), Ones(2, 1)), "network");

    [Fact]
    public void FitAsync_rejects_a_null_network() => ShouldRejectNull(() => ((Network<double>)null!).FitAsync(AsyncEnumerable.Empty<DataBatch<double>>()), "network");
}
