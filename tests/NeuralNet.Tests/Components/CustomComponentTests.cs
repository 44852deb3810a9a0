using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Tests.TestSupport;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Components;

/// <summary>
/// A layer and an activation written outside the library and registered once behave like built-ins: gradient-checked,
/// trained, saved and loaded bit-identically, checked by the health checks; what nobody registered is refused with its
/// name, on saving and on loading.
/// </summary>
public class CustomComponentTests
{
    public CustomComponentTests() => TestComponents.Register();

    [Fact]
    public void A_custom_layer_s_backward_pass_matches_central_differences_for_its_input_and_its_parameter()
    {
        var random = new Random(41);
        var layer = new TestComponents.Scale<double>(4);
        layer.Initialize(new RandomSource(2));
        Matrix<double> x = TestData.RandomMatrix(random, 5, 4);
        Matrix<double> upstream = TestData.RandomMatrix(random, 5, 4);

        layer.ZeroGradients();
        layer.Forward(x);
        Matrix<double> inputGradient = layer.Backward(upstream).Clone();

        GradientCheck.ShouldMatch(inputGradient, GradientCheck.Numerical(() => layer.Forward(x), upstream, x), "the input");
        GradientCheck.ShouldMatch(layer.Factors.Gradient.Clone(), GradientCheck.Numerical(() => layer.Forward(x), upstream, layer.Factors.Value), "the scale");
    }

    [Fact]
    public void A_network_with_a_custom_layer_and_activation_trains_saves_and_loads_bit_identically()
    {
        (Matrix<double> x, int[] labels) = Blobs(7);
        Network<double> network = Build();
        double before = network.ComputeLoss(x, TestData.OneHot(labels, 3));

        TrainingHistory history = network.Fit(x, labels, new TrainingOptions { Epochs = 30, LearningRate = 0.2, UpdateRule = new Momentum(0.8), Seed = 3 });

        history.FinalLoss.Should().BeLessThan(before * 0.6, "the custom layer's parameter and the custom activation must pass gradient along");
        network.Layers[0].Should().BeOfType<TestComponents.Scale<double>>().Which.Factors.Value.Enumerate().Should().NotContain(1.0);

        using var file = new MemoryStream();
        network.Save(file);
        Network<double> loaded = Network.Load<double>(new MemoryStream(file.ToArray()));

        loaded.ToString().Should().Be(network.ToString());
        loaded.Layers[0].Should().BeOfType<TestComponents.Scale<double>>();
        loaded.Layers[1].Activation.Should().BeOfType<TestComponents.Softsign>().Which.GetConfig().GetDouble("steepness").Should().Be(1.5);
        loaded.Predict(x).Should().Be(network.Predict(x), "a loaded network predicts bit for bit what the saved one did");
    }

    [Fact]
    public void A_checkpoint_of_a_network_with_custom_components_resumes_bit_identically()
    {
        (Matrix<double> x, int[] labels) = Blobs(8);
        string path = Path.Combine(Path.GetTempPath(), $"nn-custom-{Guid.NewGuid():N}.ckpt");
        try
        {
            var options = new TrainingOptions { Epochs = 6, LearningRate = 0.1, UpdateRule = new Adam(), GradientDescent = new MiniBatchGradientDescent(5), Seed = 4 };
            Network<double> reference = Build();
            reference.Fit(x, labels, options);

            Network<double> interrupted = Build();
            interrupted.Fit(x, labels, options with { Epochs = 3, Checkpoint = new CheckpointOptions(path) });
            TrainingCheckpoint<double> checkpoint = TrainingCheckpoint.Load<double>(path);
            checkpoint.Resume(x, labels, options);

            checkpoint.Network.Predict(x).Should().Be(reference.Predict(x));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_gradient_check_passes_a_correct_custom_layer_and_catches_a_wrong_one()
    {
        (Matrix<double> x, int[] labels) = Blobs(9);
        Matrix<double> targets = TestData.OneHot(labels, 3);
        Network<double> right = Network.Sequential<double>(3).Add(n => new TestComponents.Scale<double>(n)).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);
        Network<double> wrong = Network.Sequential<double>(3).Add(n => new TestComponents.WrongScale<double>(n)).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 5);

        GradientCheckReport passed = NetworkHealth.CheckGradients(right, x, targets);
        GradientCheckReport failed = NetworkHealth.CheckGradients(wrong, x, targets);

        passed.Passed(1e-6).Should().BeTrue(passed.ToString());
        failed.Passed(1e-6).Should().BeFalse("a doubled parameter gradient must be found");
        failed.Layers[0].MaxRelativeError.Should().BeGreaterThan(0.3, "the scale's gradient is twice the true one: a relative error of 1/3");
        failed.Layers[1].MaxRelativeError.Should().BeLessThan(1e-6, "the dense layer after it is right");
    }

    [Fact]
    public void Saving_a_network_with_an_unregistered_component_is_refused_naming_it_and_writes_nothing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nn-unregistered-{Guid.NewGuid():N}.nnet");
        Network<double> network = Network.Sequential<double>(3).Dense(4, new Unregistered()).Dense(2).Build(Loss.MeanSquaredError, seed: 1);

        Action save = () => network.Save(path);

        save.Should().Throw<InvalidOperationException>().WithMessage("*activation 'test.unregistered'*not registered*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Loading_a_file_that_names_an_unregistered_component_names_it()
    {
        using var file = new MemoryStream();
        Build().Save(file);
        byte[] content = file.ToArray();

        // The same file, with the custom activation's name changed to one of the same length that nobody registered.
        Replace(content, "test.softsign", "test.nosuchfn");
        Action load = () => Network.Load<double>(new MemoryStream(content));

        load.Should().Throw<ModelFormatException>().WithMessage("*activation 'test.nosuchfn' is not registered*register it*");
    }

    [Fact]
    public void The_health_check_judges_a_custom_activation_as_its_own_default_says_active()
    {
        (Matrix<double> x, _) = Blobs(10);
        Network<double> network = Build();

        IReadOnlyList<LayerActivationHealth> health = NetworkHealth.InspectActivations(network, x);

        health.Should().HaveCount(3);
        health[1].DeadUnits.Should().Be(0);
        health[1].SaturatedUnits.Should().Be(0);
    }

    private static Network<double> Build()
        => Network.Sequential<double>(3)
            .Add(n => new TestComponents.Scale<double>(n))
            .Dense(6, new TestComponents.Softsign(1.5))
            .Dense(3)
            .Build(Loss.SoftmaxCrossEntropy, seed: 2);

    /// <summary>Three classes around 1.5 times the unit vectors, with uniform noise of ±0.4 in every feature.</summary>
    private static (Matrix<double> X, int[] Labels) Blobs(int seed)
    {
        int[] labels = TestData.Interleaved(30, 3);
        Matrix<double> x = (1.5 * TestData.OneHot(labels, 3)) + TestData.RandomMatrix(new Random(seed), 30, 3, limit: 0.4);
        return (x, labels);
    }

    /// <summary>Replaces an identifier stored as the format's text and recomputes the checksum, as a hostile writer could.</summary>
    private static void Replace(byte[] content, string from, string to)
    {
        System.Text.Encoding.ASCII.GetBytes(to).CopyTo(content, ModelBytes.After(content, from) - from.Length);
        ModelBytes.Rehash(content);
    }

    /// <summary>An activation nobody registered.</summary>
    private sealed class Unregistered : Activation
    {
        public override string Name => "test.unregistered";

        protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows) => z.CopyTo(a);

        protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows) => da.CopyTo(dz);
    }
}
