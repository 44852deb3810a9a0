using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Sizes whose product no dense matrix can hold are refused before anything is allocated, in 64-bit arithmetic,
/// with the sizes named: a product that wrapped in 32 bits once gave a parameter of length 0, which the kernels then
/// read past its end.
/// </summary>
public class LayerSizeTests
{
    [Theory]
    [InlineData(65536, 65536)]
    [InlineData(46341, 46341)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(2, int.MaxValue)]
    public void A_dense_layer_whose_weights_no_matrix_can_hold_is_refused_naming_its_sizes(int inputs, int outputs)
    {
        Action create = () => _ = new Dense<float>(inputs, outputs);

        create.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*Dense({inputs}→{outputs})*weights*{inputs}×{outputs}*more than*");
    }

    [Fact]
    public void The_builder_refuses_such_a_layer_when_it_is_added()
    {
        NetworkBuilder<float> builder = Network.Sequential(65536);

        Action add = () => builder.Dense(65536);

        add.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*65536×65536*");
        builder.CurrentSize.Should().Be(65536);
    }

    [Fact]
    public void A_parameter_no_matrix_can_hold_is_refused()
    {
        Action create = () => _ = new Parameter<double>("kernel", 65536, 65536);

        create.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*kernel*65536×65536*");
    }

    [Fact]
    public void A_batch_whose_output_no_matrix_can_hold_is_refused_before_the_kernels_run()
    {
        // Weights of 1 × 65536 are fine; 65536 samples at once would need a 65536 × 65536 output.
        Network<float> network = Network.Sequential(1).Dense(65536).Build(Loss.MeanSquaredError, seed: 1);
        Matrix<float> samples = Matrix<float>.Build.Dense(65536, 1, 0.5f);

        Action predict = () => network.Predict(samples);

        predict.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*65536×65536*");
    }

    [Fact]
    public void Half_precision_is_refused_as_unsupported_everywhere_a_layer_or_parameter_is_made()
    {
        FluentActions.Invoking(() => _ = new Dense<Half>(2, 3)).Should().ThrowExactly<NotSupportedException>().WithMessage("*float or double*Half*");
        FluentActions.Invoking(() => _ = new Parameter<Half>("w", 2, 3)).Should().ThrowExactly<NotSupportedException>().WithMessage("*float or double*Half*");
        FluentActions.Invoking(() => Network.Sequential<Half>(2)).Should().ThrowExactly<NotSupportedException>().WithMessage("*float or double*Half*");
        FluentActions.Invoking(() => Network.Load<Half>(new MemoryStream([1, 2, 3]))).Should().ThrowExactly<NotSupportedException>().WithMessage("*float or double*Half*");
    }
}
