using NeuralNet.Layers;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Bad sizes and bad call order on a <see cref="Dense{T}"/> layer used on its own, outside any network.
/// </summary>
public class LayerBadInputTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Dense_rejects_an_input_size_that_is_not_positive(int inputs)
    {
        Action act = () => _ = new Dense<double>(inputs, 3);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*inputs must be positive, but got {inputs}.*")
            .And.ParamName.Should().Be("inputs");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Dense_rejects_an_output_size_that_is_not_positive(int outputs)
    {
        Action act = () => _ = new Dense<double>(4, outputs);

        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage($"*outputs must be positive, but got {outputs}.*")
            .And.ParamName.Should().Be("outputs");
    }

    [Fact]
    public void Forward_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(3001);
        var dense = new Dense<double>(4, 3);

        Action act = () => dense.Forward(TestData.RandomMatrix(random, 10, 5));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*Dense(4→3*expects 4 input columns*10×5*");
    }

    [Fact]
    public void Infer_rejects_inputs_with_the_wrong_number_of_columns()
    {
        var random = new Random(3002);
        var dense = new Dense<double>(4, 3);

        Action act = () => dense.Infer(TestData.RandomMatrix(random, 10, 5));

        act.Should().ThrowExactly<ArgumentException>().WithMessage("*Dense(4→3*expects 4 input columns*10×5*");
    }

    [Fact]
    public void Backward_before_any_Forward_is_an_invalid_operation()
    {
        var random = new Random(3003);
        var dense = new Dense<double>(4, 3);

        Action act = () => dense.Backward(TestData.RandomMatrix(random, 2, 3));

        act.Should().ThrowExactly<InvalidOperationException>().WithMessage("*Dense(4→3*Backward needs a Forward pass first*");
    }

    // Both a wrong unit count and a wrong sample count (relative to the last Forward) must be caught: the
    // latter would otherwise read past the cached activations of a smaller batch.
    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 3)]
    public void Backward_rejects_a_gradient_whose_shape_differs_from_the_last_output(int rows, int columns)
    {
        var random = new Random(3004);
        var dense = new Dense<double>(4, 3);
        dense.Forward(TestData.RandomMatrix(random, 2, 4));

        Action act = () => dense.Backward(TestData.RandomMatrix(random, rows, columns));

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage($"*expects outputGradient to be 2×3 but got {rows}×{columns}*")
            .And.ParamName.Should().Be("outputGradient");
    }
}
