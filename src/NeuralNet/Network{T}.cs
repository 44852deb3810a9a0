using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Evaluation;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Persistence;

namespace NeuralNet;

/// <summary>
/// A feed-forward network, the model: layers applied in order, a loss on the last layer's output, and
/// backpropagation from the loss back through every layer. Training it is the business of
/// <see cref="Training.TrainingExtensions"/> (<c>network.Fit(…)</c>).
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> (the usual choice) or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// All matrices have one row per sample. Build one with <see cref="Network.Sequential(int)"/> or the constructor.
/// <see cref="Infer"/>, <see cref="Predict(Matrix{T})"/> and the other predictions run every layer in inference mode;
/// <see cref="Backpropagate"/> and training run them in training mode; each layer decides what the difference is.
/// </para>
/// <para>
/// Thread safety: <see cref="Infer"/>, <see cref="Predict(Matrix{T})"/>, <see cref="PredictClasses"/>,
/// <see cref="ComputeLoss"/> and <see cref="Accuracy"/> only read the parameters and may run on many threads at
/// once, with identical results. Training, <see cref="Backpropagate"/> and <see cref="Initialize"/> change the
/// network. While a training runs, any call on the same instance from another thread (a prediction, which would read
/// weights mid-update, or a second training) throws <see cref="InvalidOperationException"/>; calls from the training
/// itself, such as a <see cref="Training.SynchronousProgress{T}"/> callback evaluating the network between epochs,
/// are allowed. A <see cref="Progress{T}"/> handler runs later on another thread, while training goes on, and is
/// refused like any other thread.
/// </para>
/// <para>
/// Beside its layers a network may hold <see cref="FeatureNames"/>, <see cref="ClassNames"/> and a
/// <see cref="TargetScaler"/>; they are saved, loaded and exported with it.
/// </para>
/// </remarks>
public sealed partial class Network<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly BufferCache<Matrix<T>> _lossGradients;

    /// <summary>What <see cref="Backpropagate"/> hands the layers: the generator that drew the weights, continued.</summary>
    private TrainingContext _context = new(new RandomSource(0));

    /// <summary>Stacks <paramref name="layers"/> under <paramref name="loss"/> and draws every parameter from <paramref name="seed"/>.</summary>
    /// <param name="layers">The layers in order, at least one; each layer's input size must equal the previous layer's output size.</param>
    /// <param name="loss">The loss on the last layer's output.</param>
    /// <param name="seed">Seeds the parameter initialisers: the same seed gives the same starting weights.</param>
    /// <exception cref="ArgumentException">
    /// No layers, sizes that do not chain, the same layer twice, a fused loss after a non-identity activation, or an
    /// output count the loss cannot train (softmax cross-entropy on one output).
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Network(IEnumerable<Layer<T>> layers, Loss loss, int seed)
        : this(layers, loss)
    {
        Initialize(seed);
    }

    /// <summary>Stacks layers whose parameters are already set (used by loaders).</summary>
    internal Network(IEnumerable<Layer<T>> layers, Loss loss)
    {
        Guard.Precision<T>();
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(loss);
        _layers = [.. layers];
        NetworkStructure.Check(_layers, loss);
        Loss = loss;
        _parameters = [.. _layers.SelectMany(layer => layer.Parameters)];
        _lossGradients = new BufferCache<Matrix<T>>(rows => Storage.NewDense<T>(rows, OutputSize));
        Use = new ExclusiveUse(Describe);
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <summary>The loss the network is trained on; it also maps raw outputs to predictions.</summary>
    public Loss Loss { get; }

    /// <summary>The number of input features.</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>The number of outputs (classes, for classification with softmax).</summary>
    public int OutputSize => _layers[^1].OutputSize;

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>The number of trainable scalars.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Length);

    /// <summary>Held by a training while it runs, so that other threads cannot read or change the weights mid-update.</summary>
    internal ExclusiveUse Use { get; }

    /// <summary>The number of classes the network separates: its outputs, or 2 for a single output.</summary>
    internal int ClassCount => OutputSize == 1 ? 2 : OutputSize;

    /// <summary>Draws every parameter afresh from its layer's initialiser, seeded by <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed; the same seed gives the same weights.</param>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public void Initialize(int seed)
    {
        Use.ThrowIfHeldElsewhere();
        var random = new RandomSource(seed);
        foreach (Layer<T> layer in _layers)
        {
            layer.Initialize(random);
        }

        _context = new TrainingContext(random);
    }

    /// <summary>The raw output of the last layer (logits, for the fused losses), in inference mode.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>A new samples × <see cref="OutputSize"/> matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public Matrix<T> Infer(Matrix<T> inputs)
    {
        Use.ThrowIfHeldElsewhere();
        Guard.NotEmpty(inputs, nameof(inputs));
        if (inputs.ColumnCount != InputSize)
        {
            Guard.Columns(inputs, InputSize, Describe(), nameof(inputs));
        }

        Matrix<T> current = _layers[0].Infer(inputs);
        for (int l = 1; l < _layers.Length; l++)
        {
            Matrix<T> next = Storage.NewDense<T>(current.RowCount, _layers[l].OutputSize);
            _layers[l].InferCore(current, next);
            current = next;
        }

        return current;
    }

    /// <summary>Predictions: class probabilities for the cross-entropy losses, values for mean squared error.</summary>
    /// <remarks>The inputs are not scanned for NaN or infinity: a non-finite feature gives non-finite predictions for its sample.</remarks>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>A new samples × <see cref="OutputSize"/> matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public Matrix<T> Predict(Matrix<T> inputs)
    {
        Matrix<T> raw = Infer(inputs);
        Span<T> values = Storage.Of(raw);
        Loss.Transform<T>(values, values, raw.RowCount);
        return raw;
    }

    /// <summary>The prediction for one sample.</summary>
    /// <param name="sample">The sample's <see cref="InputSize"/> features.</param>
    /// <returns>The <see cref="OutputSize"/> predicted values.</returns>
    /// <exception cref="ArgumentException"><paramref name="sample"/> does not have <see cref="InputSize"/> features.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public T[] Predict(IReadOnlyList<T> sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count != InputSize)
        {
            throw new ArgumentException($"{Describe()} expects a sample of {InputSize} features but got {sample.Count}.", nameof(sample));
        }

        Matrix<T> row = Storage.NewDense<T>(1, InputSize);
        for (int j = 0; j < sample.Count; j++)
        {
            row[0, j] = sample[j];
        }

        return Storage.Of(Predict(row));
    }

    /// <summary>
    /// The predicted class of each sample: the most probable output, or with a single output, 1 when its
    /// prediction is at least ½ and 0 otherwise.
    /// </summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>One class index per sample.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="inputs"/> is empty or has the wrong number of columns, or a sample's prediction is not finite
    /// (NaN in its features gives NaN predictions, which have no class; the message names the sample).
    /// </exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public int[] PredictClasses(Matrix<T> inputs) => ClassDecoder.PredictedClasses(Predict(inputs), nameof(inputs));

    /// <summary>The fraction of samples whose predicted class is the given label.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <param name="labels">One class index per sample.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The inputs are malformed, the label count differs from the sample count, or a sample's prediction is not finite (see <see cref="PredictClasses"/>).</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public double Accuracy(Matrix<T> inputs, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != inputs.RowCount)
        {
            throw new ArgumentException($"Expected one label per sample: {inputs.RowCount} samples but {labels.Count} labels.", nameof(labels));
        }

        return Metrics.Accuracy(labels, PredictClasses(inputs));
    }

    /// <summary>Saves the network (architecture, activations, precision and weights) to a file, replacing it atomically.</summary>
    /// <param name="path">The file. A failed save leaves any previous file at this path intact.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="IOException">The file cannot be written (its directory does not exist, the disk is full, …).</exception>
    /// <exception cref="UnauthorizedAccessException">Writing in the file's directory is denied.</exception>
    /// <exception cref="InvalidOperationException">
    /// The network is being trained on another thread, holds a component that is not registered, or holds a
    /// non-finite weight (a file of it could not be loaded; the message names the layer and the position).
    /// </exception>
    public void Save(string path)
    {
        Use.ThrowIfHeldElsewhere();
        ModelFile.Save(path, this);
    }

    /// <summary>Saves the network (architecture, activations, precision and weights) to a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="InvalidOperationException">
    /// The network is being trained on another thread, holds a component that is not registered, or holds a
    /// non-finite weight.
    /// </exception>
    public void Save(Stream stream)
    {
        Use.ThrowIfHeldElsewhere();
        ModelFile.Save(stream, this);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(typeof(T) == typeof(float) ? "Network<float>: " : "Network<double>: ");
        text.AppendJoin(" → ", _layers.Select(layer => layer.ToString()));
        text.Append(" | ").Append(Loss).Append(" | ").Append(ParameterCount).Append(" parameters");
        return text.ToString();
    }

    /// <summary>The network in messages: <c>Network(784→10)</c>.</summary>
    internal string Describe() => $"Network({InputSize}→{OutputSize})";
}
