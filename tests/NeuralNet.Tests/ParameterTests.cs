using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

/// <summary>
/// A parameter a layer of one's own creates, and the three ways its backward pass adds a gradient: each adds what it
/// says, and each refuses a shape that does not give this parameter's.
/// </summary>
public class ParameterTests
{
    [Fact]
    public void A_new_parameter_is_zero_with_a_zero_gradient_of_its_shape()
    {
        var parameter = new Parameter<double>("kernel", 3, 2, decays: false);

        parameter.Name.Should().Be("kernel");
        parameter.Length.Should().Be(6);
        parameter.Decays.Should().BeFalse();
        parameter.Value.Should().Be(Matrix<double>.Build.Dense(3, 2));
        parameter.Gradient.Should().Be(Matrix<double>.Build.Dense(3, 2));
        parameter.ToString().Should().Be("kernel (3×2)");
    }

    [Theory]
    [InlineData("", 1, 1, typeof(ArgumentException), "*parameter name must be 1 to 64 characters*")]
    [InlineData("two words", 1, 1, typeof(ArgumentException), "*parameter name*'two words'*")]
    [InlineData("w", 0, 1, typeof(ArgumentOutOfRangeException), "*rows must be positive, but got 0*")]
    [InlineData("w", 1, -2, typeof(ArgumentOutOfRangeException), "*columns must be positive, but got -2*")]
    public void The_constructor_rejects_a_bad_name_or_size(string name, int rows, int columns, Type exception, string message)
    {
        Action create = () => _ = new Parameter<float>(name, rows, columns);

        create.Should().Throw<ArgumentException>().Which.Should().BeOfType(exception);
        create.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void AddGradient_adds_entry_by_entry_and_refuses_another_length()
    {
        var parameter = new Parameter<double>("w", 2, 2);
        parameter.AddGradient([1, 2, 3, 4]);
        parameter.AddGradient([1, 1, 1, 1]);

        parameter.Gradient.ToColumnMajorArray().Should().Equal(2, 3, 4, 5);
        FluentActions.Invoking(() => parameter.AddGradient([1, 2, 3])).Should().Throw<ArgumentException>().WithMessage("*w (2×2) expects 4 gradient values but got 3*");
    }

    [Fact]
    public void AddGradientProduct_adds_op_a_times_op_b_and_refuses_shapes_that_do_not_give_the_parameter_s()
    {
        var parameter = new Parameter<double>("w", 3, 2);
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Matrix<double> dz = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, -1 }, { 0.5, 2 } });

        parameter.AddGradientProduct(x, transposeA: true, dz, transposeB: false);

        parameter.Gradient.Should().Be(x.TransposeThisAndMultiply(dz));
        Action wrongInner = () => parameter.AddGradientProduct(x, transposeA: true, Matrix<double>.Build.Dense(3, 2), transposeB: false);
        Action wrongShape = () => parameter.AddGradientProduct(x, transposeA: false, dz, transposeB: false);
        wrongInner.Should().Throw<ArgumentException>().WithMessage("*w (3×2) cannot take the product of a 3×2 and a 3×2 matrix*");
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*w (3×2) cannot take the product of a 2×3 and a 2×2 matrix*");
        FluentActions.Invoking(() => parameter.AddGradientProduct(null!, true, dz, false)).Should().Throw<ArgumentNullException>().WithParameterName("a");
        FluentActions.Invoking(() => parameter.AddGradientProduct(x, true, null!, false)).Should().Throw<ArgumentNullException>().WithParameterName("b");
    }

    [Fact]
    public void AddGradientColumnSums_adds_each_column_s_sum_to_a_row_parameter_and_nothing_else()
    {
        var biases = new Parameter<double>("b", 1, 2);
        biases.AddGradientColumnSums(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 10 }, { 2, 20 }, { 3, 30 } }));

        biases.Gradient.ToColumnMajorArray().Should().Equal(6, 60);
        FluentActions.Invoking(() => biases.AddGradientColumnSums(Matrix<double>.Build.Dense(3, 3))).Should().Throw<ArgumentException>().WithMessage("*b (1×2) cannot take the column sums of a 3×3 matrix*");
        FluentActions.Invoking(() => new Parameter<double>("w", 2, 2).AddGradientColumnSums(Matrix<double>.Build.Dense(3, 2))).Should().Throw<ArgumentException>().WithMessage("*w (2×2) cannot take the column sums*");
        FluentActions.Invoking(() => biases.AddGradientColumnSums(null!)).Should().Throw<ArgumentNullException>().WithParameterName("matrix");
    }
}
