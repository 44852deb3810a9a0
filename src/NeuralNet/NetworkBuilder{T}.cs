using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet;

/// <summary>
/// Builds a <see cref="Network{T}"/> layer by layer, each new layer taking the previous one's output size
/// as its input size. Start with <see cref="Network.Sequential(int)"/>, or for images with
/// <see cref="Network.Sequential(int, int, int)"/>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>The builder records a description; every <see cref="Build"/> creates new layers, so two networks built from one builder share nothing.</remarks>
public sealed partial class NetworkBuilder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Func<Layer<T>>> _layers = [];
    private IReadOnlyList<string>? _featureNames;
    private IReadOnlyList<string>? _classNames;
    private StandardScaler<T>? _targetScaler;
    private readonly int _inputs;

    internal NetworkBuilder(int inputs)
    {
        Guard.Precision<T>();
        Guard.Positive(inputs, nameof(inputs));
        CurrentSize = inputs;
        _inputs = inputs;
    }

    internal NetworkBuilder(ImageShape image)
        : this(image.Size)
    {
        CurrentShape = image;
    }

    /// <summary>The output size of the last layer added, or the input size when none has been.</summary>
    public int CurrentSize { get; private set; }

    /// <summary>Adds a fully connected layer.</summary>
    /// <param name="units">The number of units (outputs), positive.</param>
    /// <param name="activation">The activation; identity when null.</param>
    /// <param name="weightInitializer">The weight initialiser; the activation's <see cref="Activation.DefaultWeightInitializer"/> when null (He uniform for the ReLU family, Glorot uniform otherwise).</param>
    /// <param name="biasInitializer">The bias initialiser; zeros when null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, or the weights (current size × units) are more values than a dense matrix holds.</exception>
    /// <exception cref="InvalidOperationException">The builder holds images (<see cref="CurrentShape"/> is set): add <see cref="Flatten"/> or <see cref="GlobalAveragePool"/> first.</exception>
    public NetworkBuilder<T> Dense(int units, Activation? activation = null, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
    {
        if (CurrentShape is ImageShape image)
        {
            throw new InvalidOperationException($"Dense after {image} images needs flat features: add Flatten() or GlobalAveragePool() first.");
        }

        Guard.Positive(units, nameof(units));
        int inputs = CurrentSize;
        Guard.MatrixSize(inputs, units, $"Dense({inputs}→{units})'s weights", nameof(units));
        _layers.Add(() => new Dense<T>(inputs, units, activation, weightInitializer, biasInitializer));
        CurrentSize = units;
        return this;
    }

    /// <summary>
    /// Adds input normalisation with a fitted <see cref="StandardScaler{T}"/>'s statistics, <c>(x − mean) / std</c>, so the
    /// network (saved, loaded or exported to ONNX) takes raw features.
    /// </summary>
    /// <param name="scaler">A scaler fitted on the training features (its statistics are copied now), of <see cref="CurrentSize"/> features.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The scaler is not fitted, or has another number of features than <see cref="CurrentSize"/>.</exception>
    /// <remarks>See <see cref="Normalization{T}"/>. Train the network on the raw features: the layer standardises them.</remarks>
    public NetworkBuilder<T> Normalize(StandardScaler<T> scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        return Normalize(scaler.Mean, scaler.StandardDeviation, "StandardScaler", nameof(scaler));
    }

    /// <summary>
    /// Adds input normalisation with a fitted <see cref="MinMaxScaler{T}"/>'s statistics, <c>(x − min) / range</c>, so the
    /// network takes raw features.
    /// </summary>
    /// <param name="scaler">A scaler fitted on the training features (its statistics are copied now), of <see cref="CurrentSize"/> features.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The scaler is not fitted, or has another number of features than <see cref="CurrentSize"/>.</exception>
    public NetworkBuilder<T> Normalize(MinMaxScaler<T> scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        return Normalize(scaler.Minimum, scaler.Range, "MinMaxScaler", nameof(scaler));
    }

    /// <summary>Adds input normalisation <c>(x − mean) / std</c> with the given per-feature statistics.</summary>
    /// <param name="mean">What to subtract from each of the <see cref="CurrentSize"/> features, all finite.</param>
    /// <param name="standardDeviation">What to divide each by, finite and at least 0 (0 is kept as 1).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The lists do not hold <see cref="CurrentSize"/> values each, a value is not finite, or a standard deviation is negative.</exception>
    public NetworkBuilder<T> Normalize(IReadOnlyList<T> mean, IReadOnlyList<T> standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        var layer = new Normalization<T>(mean, standardDeviation);
        if (layer.InputSize != CurrentSize)
        {
            throw new ArgumentException($"Normalize after {CurrentSize} outputs needs statistics for {CurrentSize} features, but got {layer.InputSize}.", nameof(mean));
        }

        T[] means = [.. layer.Mean];
        T[] deviations = [.. layer.StandardDeviation];
        _layers.Add(() => new Normalization<T>(means, deviations));
        return this;
    }

    /// <summary>Names the network's input features; they travel with it in model files and ONNX exports.</summary>
    /// <param name="names">One name per input feature (the size the builder started with); none null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The count differs from the input count, or a name is null.</exception>
    public NetworkBuilder<T> WithFeatureNames(IReadOnlyList<string> names)
    {
        _featureNames = ModelNames.Features(names, _inputs, $"Network({_inputs}→…)", nameof(names));
        return this;
    }

    /// <summary>
    /// Names the classes the network separates (output k is class k; for a single sigmoid output, class 0 then class 1);
    /// they travel with it in model files and ONNX exports, and <see cref="Network{T}.PredictLabel"/> returns them.
    /// </summary>
    /// <param name="names">One distinct name per class, checked against the last layer's outputs at <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> is null.</exception>
    public NetworkBuilder<T> WithClassNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _classNames = [.. names];
        return this;
    }

    /// <summary>
    /// Records the scaler the regression targets were standardised with, so that
    /// <see cref="Network{T}.PredictInTargetUnits(MathNet.Numerics.LinearAlgebra.Matrix{T})"/> (and an ONNX export) give
    /// predictions in the targets' own units; see <see cref="Network{T}.TargetScaler"/>.
    /// </summary>
    /// <param name="scaler">A scaler fitted on the training targets (copied at <see cref="Build"/>), one feature per output.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scaler"/> is null.</exception>
    public NetworkBuilder<T> WithTargetScaler(StandardScaler<T> scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        _targetScaler = scaler;
        return this;
    }

    /// <summary>Adds inverted dropout (training mode only; the identity in inference): see <see cref="Dropout{T}"/>.</summary>
    /// <param name="rate">The probability of dropping a value, in [0, 1).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in [0, 1).</exception>
    public NetworkBuilder<T> Dropout(double rate)
    {
        Layers.Dropout<T>.CheckRate(rate);
        int features = CurrentSize;
        _layers.Add(() => new Dropout<T>(features, rate));
        return this;
    }

    /// <summary>Adds layer normalisation over the features of each sample: see <see cref="LayerNormalization{T}"/>.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> LayerNormalization()
    {
        int features = CurrentSize;
        _layers.Add(() => new LayerNormalization<T>(features));
        return this;
    }

    /// <summary>Adds batch normalisation over each feature (momentum 0.1, ε 1e-5): see <see cref="BatchNormalization{T}"/>.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> BatchNormalization()
    {
        int features = CurrentSize;
        _layers.Add(() => new BatchNormalization<T>(features));
        return this;
    }

    /// <summary>
    /// Adds an activation on its own, <c>g(x)</c> element by element (softmax across each row): see
    /// <see cref="ActivationLayer{T}"/>. For a normalisation between the affine map and the activation, as PyTorch's
    /// <c>Linear → BatchNorm1d → ReLU</c>: <c>.Dense(units).BatchNormalization().Activation(Activation.Relu)</c>.
    /// </summary>
    /// <param name="activation">The activation, any registered one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    public NetworkBuilder<T> Activation(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        int features = CurrentSize;
        _layers.Add(() => new ActivationLayer<T>(features, activation));
        return this;
    }

    /// <summary>Adds a layer of any type, such as one of your own.</summary>
    /// <param name="create">Builds the layer for the given input size (the previous layer's output size); called on every <see cref="Build"/>, so each network gets its own layer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The layer built does not take <see cref="CurrentSize"/> inputs.</exception>
    public NetworkBuilder<T> Add(Func<int, Layer<T>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        int inputs = CurrentSize;

        // Built once here to learn its output size, so that the next layer can be sized now.
        Layer<T> layer = create(inputs) ?? throw new ArgumentException("The layer factory returned null.", nameof(create));
        if (layer.InputSize != inputs)
        {
            throw new ArgumentException($"The layer added after {inputs} outputs must take {inputs} inputs, but {layer} takes {layer.InputSize}.", nameof(create));
        }

        _layers.Add(() => create(inputs));
        if (layer.OutputSize != inputs)
        {
            // A layer that changes the size no longer holds the images the shape describes.
            CurrentShape = null;
        }

        CurrentSize = layer.OutputSize;
        return this;
    }

    /// <summary>Creates the network, with new layers, and draws its parameters.</summary>
    /// <param name="loss">The loss to train on.</param>
    /// <param name="seed">Seeds the initialisers; the same seed gives the same starting weights.</param>
    /// <returns>A new network, with the names and target scaler given to the builder.</returns>
    /// <exception cref="ArgumentException">
    /// No layer was added, a fused loss follows a non-identity activation, the class names are not one per class
    /// (the message names both counts) or not distinct, or the target scaler does not fit the outputs or the loss.
    /// </exception>
    /// <exception cref="InvalidOperationException">The target scaler is not fitted.</exception>
    public Network<T> Build(Loss loss, int seed = 0)
    {
        var network = new Network<T>(_layers.Select(create => create()), loss, seed);
        network.SetMetadata(_featureNames, _classNames, _targetScaler, paramName: null);
        return network;
    }

    /// <summary>A normalisation layer from a scaler's statistics, refusing an unfitted scaler.</summary>
    private NetworkBuilder<T> Normalize(IReadOnlyList<T>? offsets, IReadOnlyList<T>? scales, string kind, string paramName)
    {
        if (offsets is null || scales is null)
        {
            throw new ArgumentException($"Normalize needs a fitted scaler, but this {kind} has not been fitted (Fit) nor made from its statistics.", paramName);
        }

        if (offsets.Count != CurrentSize)
        {
            throw new ArgumentException($"Normalize after {CurrentSize} outputs needs statistics for {CurrentSize} features, but the {kind} was fitted on {offsets.Count}.", paramName);
        }

        return Normalize(offsets, scales);
    }
}
