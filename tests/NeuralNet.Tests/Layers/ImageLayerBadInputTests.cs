using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>One test per precondition of the image layers, their shapes and padding: the exception type, the parameter and a message naming what was expected and what came in.</summary>
public sealed class ImageLayerBadInputTests
{
    private static readonly ImageShape Image = new(2, 8, 8);

    [Theory]
    [InlineData(0, 8, 8, "channels")]
    [InlineData(1, -1, 8, "height")]
    [InlineData(1, 8, 0, "width")]
    public void An_image_shape_needs_positive_sizes(int channels, int height, int width, string paramName)
    {
        Action act = () => _ = new ImageShape(channels, height, width);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"{paramName} must be positive, but got *").And.ParamName.Should().Be(paramName);
    }

    [Fact]
    public void An_image_no_matrix_row_can_hold_is_refused_naming_its_shape()
    {
        Action act = () => _ = new ImageShape(1 << 12, 1 << 12, 1 << 12);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("An image of 4096×4096×4096 would be*");
    }

    [Fact]
    public void Sequential_of_images_needs_positive_sizes()
    {
        Action act = () => Network.Sequential(1, 0, 28);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("height must be positive, but got 0.*");
    }

    [Theory]
    [InlineData(0, 3, 1, "filters")]
    [InlineData(2, 0, 1, "kernel")]
    [InlineData(2, 3, 0, "stride")]
    public void Conv2D_needs_positive_filters_kernel_and_stride(int filters, int kernel, int stride, string paramName)
    {
        Action act = () => _ = new Conv2D<float>(Image, filters, kernel, stride);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"{paramName} must be positive, but got *").And.ParamName.Should().Be(paramName);
    }

    [Fact]
    public void Conv2D_refuses_a_kernel_larger_than_its_padded_input_naming_both()
    {
        Action valid = () => _ = new Conv2D<float>(Image, 3, kernel: 9);
        Action padded = () => _ = new Conv2D<float>(Image, 3, kernel: 11, padding: Padding.Explicit(1, 1));

        valid.Should().Throw<ArgumentException>().WithMessage("Conv2D(3 filters 9×9, stride 1, padding valid)'s 9×9 window does not fit its 2×8×8 input: *").And.ParamName.Should().Be("kernel");
        padded.Should().Throw<ArgumentException>().WithMessage("*11×11 window does not fit its 2×8×8 input padded to 10×10*");
        new Conv2D<float>(Image, 3, kernel: 9, padding: Padding.Same).OutputShape.Should().Be(new ImageShape(3, 8, 8), "same padding makes room for any kernel");
    }

    [Fact]
    public void Conv2D_refuses_softmax_which_is_not_element_wise()
    {
        Action act = () => _ = new Conv2D<float>(Image, 3, 3, activation: Activation.Softmax);

        act.Should().Throw<ArgumentException>().WithMessage("Conv2D applies its activation element by element, but softmax*").And.ParamName.Should().Be("activation");
    }

    [Fact]
    public void The_image_layers_refuse_the_empty_default_shape()
    {
        Action[] acts =
        [
            () => _ = new Conv2D<float>(default, 3, 3),
            () => _ = new MaxPool2D<float>(default, 2),
            () => _ = new AveragePool2D<float>(default, 2),
            () => _ = new GlobalAveragePool<float>(default),
            () => _ = new Flatten<float>(default),
        ];

        foreach (Action act in acts)
        {
            act.Should().Throw<ArgumentException>().WithMessage("*needs an input shape of positive channels, height and width, but got the empty default ImageShape.*").And.ParamName.Should().Be("input");
        }
    }

    [Theory]
    [InlineData(0, null, "size")]
    [InlineData(2, 0, "stride")]
    public void Pooling_needs_a_positive_size_and_stride(int size, int? stride, string paramName)
    {
        Action max = () => _ = new MaxPool2D<double>(Image, size, stride);
        Action average = () => _ = new AveragePool2D<double>(Image, size, stride);

        max.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"{paramName} must be positive, but got 0.*");
        average.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"{paramName} must be positive, but got 0.*");
    }

    [Fact]
    public void Pooling_refuses_a_window_larger_than_its_input_and_one_that_would_drop_pixels()
    {
        Action large = () => _ = new MaxPool2D<float>(Image, 9);
        Action dropping = () => _ = new AveragePool2D<float>(Image, 3);

        large.Should().Throw<ArgumentException>().WithMessage("MaxPool2D(9×9, stride 9)'s 9×9 window does not fit its 2×8×8 input*");
        dropping.Should().Throw<ArgumentException>().WithMessage("AveragePool2D(3×3, stride 3) on a 2×8×8 input gives 2×2×2 but leaves the last 2 row(s) and 2 column(s) out*").And.ParamName.Should().Be("size");
        new AveragePool2D<float>(Image, 3, dropEdges: true).OutputShape.Should().Be(new ImageShape(2, 2, 2));
    }

    [Fact]
    public void Explicit_padding_refuses_negative_counts()
    {
        Action rows = () => Padding.Explicit(-1, 0);
        Action columns = () => Padding.Explicit(0, -2);

        rows.Should().Throw<ArgumentOutOfRangeException>().WithMessage("rows must be in [0, *], but got -1.*");
        columns.Should().Throw<ArgumentOutOfRangeException>().WithMessage("columns must be in [0, *], but got -2.*");
    }

    [Fact]
    public void A_saved_convolution_with_an_unknown_padding_mode_is_refused_naming_the_modes()
    {
        ComponentConfig config = new Conv2D<float>(Image, 3, 3).GetConfig().Set("padding", "full");

        Action act = () => ComponentRegistry.Layers.Create<float>("conv2d", config);

        act.Should().Throw<ArgumentException>().WithMessage("A padding is 'valid', 'same' or 'explicit', but got 'full'.*");
    }
}
