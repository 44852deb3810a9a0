using System.Numerics;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Evaluation;
using NeuralNet.Internal;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Persistence;
using NeuralNet.Training;

namespace NeuralNet;

/// <summary>
/// A feed-forward network: layers applied in order, a loss on the last layer's output, and backpropagation
/// from the loss back through every layer.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> (the usual choice) or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>All matrices have one row per sample. Build one with <see cref="Network.Sequential(int)"/> or the constructor.</para>
/// <para>
/// Thread safety: <see cref="Infer"/>, <see cref="Predict(Matrix{T})"/>, <see cref="PredictClasses"/>,
/// <see cref="ComputeLoss"/> and <see cref="Accuracy"/> only read the parameters and may run on many threads at
/// once, with identical results. The <c>Fit</c> overloads, <see cref="Backpropagate"/> and <see cref="Initialize"/>
/// change the network. While a <c>Fit</c> runs, any call on the same instance from another thread (a prediction,
/// which would read weights mid-update, or a second <c>Fit</c>) throws <see cref="InvalidOperationException"/>;
/// calls from the training itself, such as a progress callback evaluating the network between epochs, are allowed.
/// </para>
/// </remarks>
public sealed class Network<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly BufferCache<Matrix<T>> _lossGradients;

    /// <summary>The network being trained in the current logical flow (the training thread and its callbacks).</summary>
    private static readonly AsyncLocal<Network<T>?> TrainingHere = new();

    /// <summary>1 while a <c>Fit</c> runs on this network.</summary>
    private int _training;

    /// <summary>Stacks <paramref name="layers"/> under <paramref name="loss"/> and draws every parameter from <paramref name="seed"/>.</summary>
    /// <param name="layers">The layers in order, at least one; each layer's input size must equal the previous layer's output size.</param>
    /// <param name="loss">The loss on the last layer's output.</param>
    /// <param name="seed">Seeds the parameter initialisers: the same seed gives the same starting weights.</param>
    /// <exception cref="ArgumentException">No layers, sizes that do not chain, the same layer twice, or a fused loss after a non-identity activation.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Network(IEnumerable<Layer<T>> layers, Loss loss, int seed)
        : this(layers, loss)
    {
        Initialize(seed);
    }

    /// <summary>Stacks layers whose parameters are already set (used by loaders).</summary>
    internal Network(IEnumerable<Layer<T>> layers, Loss loss)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Network<T> supports float and double, but got {typeof(T).Name}.");
        }

        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(loss);
        _layers = [.. layers];
        Check(_layers, loss);
        Loss = loss;
        _parameters = [.. _layers.SelectMany(layer => layer.Parameters)];
        _lossGradients = new BufferCache<Matrix<T>>(rows => Storage.NewDense<T>(rows, OutputSize));
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

    /// <summary>Draws every parameter afresh from its layer's initialiser, seeded by <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed; the same seed gives the same weights.</param>
    public void Initialize(int seed)
    {
        ThrowIfTrainingElsewhere();
        var random = new RandomSource(seed);
        foreach (Layer<T> layer in _layers)
        {
            layer.Initialize(random);
        }
    }

    /// <summary>The raw output of the last layer (logits, for the fused losses).</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>A new samples × <see cref="OutputSize"/> matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns.</exception>
    public Matrix<T> Infer(Matrix<T> inputs)
    {
        ThrowIfTrainingElsewhere();
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
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>A new samples × <see cref="OutputSize"/> matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns.</exception>
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
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns.</exception>
    public int[] PredictClasses(Matrix<T> inputs) => Classes(Predict(inputs));

    /// <summary>The fraction of samples whose predicted class is the given label.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <param name="labels">One class index per sample.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The inputs are malformed or the label count differs from the sample count.</exception>
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

    /// <summary>The loss on the given samples: the mean over samples.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <param name="targets">Samples × <see cref="OutputSize"/>.</param>
    /// <returns>The batch-mean loss.</returns>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public T ComputeLoss(Matrix<T> inputs, Matrix<T> targets)
    {
        CheckData(inputs, targets);
        return Loss.Compute(Infer(inputs), targets);
    }

    /// <summary>
    /// One forward and backward pass: clears every gradient, then fills it with <c>+dL/dθ</c> of the batch-mean
    /// loss on these samples, working from the output layer back to the first.
    /// </summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <param name="targets">Samples × <see cref="OutputSize"/>.</param>
    /// <returns>The batch-mean loss before any update.</returns>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public T Backpropagate(Matrix<T> inputs, Matrix<T> targets)
    {
        ThrowIfTrainingElsewhere();
        CheckData(inputs, targets);
        return BackpropagateCore(Storage.Dense(inputs), Storage.Dense(targets));
    }

    /// <summary>Trains on <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>, all finite.</param>
    /// <param name="targets">Samples × <see cref="OutputSize"/>, all finite (one-hot rows for softmax cross-entropy).</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="cancellationToken">Stops training between two updates; the network keeps the weights of the last update.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">Empty data, mismatched shapes or counts, a non-finite value, or an option out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingHistory Fit(Matrix<T> inputs, Matrix<T> targets, TrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainingOptions();
        CheckOptions(options, streaming: false);
        CheckData(inputs, targets);
        Guard.Finite(inputs, nameof(inputs));
        Guard.Finite(targets, nameof(targets));
        return Fit(Dataset.ForRegression(inputs, targets), options, null, cancellationToken);
    }

    /// <summary>Trains a classifier on <paramref name="inputs"/> and class <paramref name="labels"/>.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>, all finite.</param>
    /// <param name="labels">One class index per sample, in [0, <see cref="OutputSize"/>), or 0/1 with a single output.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="cancellationToken">Stops training between two updates; the network keeps the weights of the last update.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">Empty data, a label count that differs from the sample count, a label out of range, a non-finite input, or an option out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingHistory Fit(Matrix<T> inputs, IReadOnlyList<int> labels, TrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainingOptions();
        CheckOptions(options, streaming: false);
        Guard.NotEmpty(inputs, nameof(inputs));
        Guard.Columns(inputs, InputSize, Describe(), nameof(inputs));
        _ = Targets(labels, inputs.RowCount);
        Guard.Finite(inputs, nameof(inputs));
        return Fit(Dataset.ForClassification(inputs, labels, ClassCount), options, null, cancellationToken);
    }

    /// <summary>Trains on a dataset, validating after every epoch on <paramref name="validation"/> when given.</summary>
    /// <param name="train">The training data: classification labels for the cross-entropy losses, or targets of <see cref="OutputSize"/> columns.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="validation">Held-out data scored after every epoch; when null, <see cref="TrainingOptions.ValidationFraction"/> of <paramref name="train"/> is held out.</param>
    /// <param name="cancellationToken">Stops training between two updates; the network keeps the weights of the last update.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingHistory Fit(Dataset<T> train, TrainingOptions? options = null, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainingOptions();
        return FitCore(train, options, validation, new TrainingState<T>(new RandomSource(options.Seed)), cancellationToken);
    }

    /// <summary>
    /// Trains on batches read lazily, so data larger than memory can be used: <paramref name="batches"/> is enumerated
    /// afresh every epoch and each batch it yields makes one update (the gradient descent option does not apply).
    /// </summary>
    /// <param name="batches">The batches; each with inputs of <see cref="InputSize"/> and targets of <see cref="OutputSize"/> columns.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="validation">Held-out data scored after every epoch, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">A batch does not fit the network or holds a non-finite value, the source is empty, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingHistory Fit(IEnumerable<DataBatch<T>> batches, TrainingOptions? options = null, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        options ??= new TrainingOptions();
        CheckOptions(options, streaming: true);
        var trainer = new Trainer<T>(this, options, new TrainingState<T>(new RandomSource(options.Seed)));
        (Matrix<T>, Matrix<T>)? shaped = Shaped(validation, nameof(validation));
        Network<T>? outer = BeginTraining();
        try
        {
            return trainer.Run(batches, shaped, cancellationToken);
        }
        finally
        {
            EndTraining(outer);
        }
    }

    /// <summary>Trains on batches produced asynchronously (read from a file or the network as training goes).</summary>
    /// <param name="batches">The batches, enumerated afresh every epoch; each makes one update.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="validation">Held-out data scored after every epoch, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">A batch does not fit the network or holds a non-finite value, the source is empty, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<TrainingHistory> FitAsync(IAsyncEnumerable<DataBatch<T>> batches, TrainingOptions? options = null, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        options ??= new TrainingOptions();
        CheckOptions(options, streaming: true);
        var trainer = new Trainer<T>(this, options, new TrainingState<T>(new RandomSource(options.Seed)));
        return TrainAsync(trainer, batches, Shaped(validation, nameof(validation)), cancellationToken);
    }

    /// <summary>Saves the network (architecture, activations, precision and weights) to a file, replacing it atomically.</summary>
    /// <param name="path">The file. A failed save leaves any previous file at this path intact.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public void Save(string path)
    {
        ThrowIfTrainingElsewhere();
        ModelFile.Save(path, this);
    }

    /// <summary>Saves the network (architecture, activations, precision and weights) to a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public void Save(Stream stream)
    {
        ThrowIfTrainingElsewhere();
        ModelFile.Save(stream, this);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(typeof(T) == typeof(float) ? "Network<float>: " : "Network<double>: ");
        text.AppendJoin(" → ", _layers.Select(layer => layer.ToString()));
        text.Append(" | ").Append(Loss.Name).Append(" | ").Append(ParameterCount).Append(" parameters");
        return text.ToString();
    }

    /// <summary>The training pass on dense, already checked data; used by the trainer every step.</summary>
    internal T BackpropagateCore(Matrix<T> inputs, Matrix<T> targets)
    {
        foreach (Parameter<T> parameter in _parameters)
        {
            parameter.ZeroGradient();
        }

        Matrix<T> current = inputs;
        foreach (Layer<T> layer in _layers)
        {
            current = layer.ForwardCore(current);
        }

        Matrix<T> gradient = _lossGradients.Get(inputs.RowCount);
        T loss = Loss.ValueAndGradient<T>(Storage.Of(current), Storage.Of(targets), Storage.Of(gradient), inputs.RowCount);

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            gradient = _layers[l].BackwardCore(gradient, computeInputGradient: l > 0)!;
        }

        return loss;
    }

    /// <summary>The number of classes the network separates: its outputs, or 2 for a single output.</summary>
    internal int ClassCount => OutputSize == 1 ? 2 : OutputSize;

    /// <summary>Trains from <paramref name="state"/> on: a fresh run starts from an empty state, a resumed one from a checkpoint's.</summary>
    internal TrainingHistory FitCore(Dataset<T> train, TrainingOptions options, Dataset<T>? validation, TrainingState<T> state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options, streaming: false);
        if (validation is null && options.ValidationFraction > 0)
        {
            (train, validation) = train.Split(options.ValidationFraction, options.Seed, stratify: train.IsClassification);
        }

        (Matrix<T> inputs, Matrix<T> targets) = Shaped(train, nameof(train))!.Value;
        (Matrix<T>, Matrix<T>)? shaped = Shaped(validation, nameof(validation));
        Network<T>? outer = BeginTraining();
        try
        {
            return new Trainer<T>(this, options, state).Run(inputs, targets, shaped, cancellationToken);
        }
        finally
        {
            EndTraining(outer);
        }
    }

    private async Task<TrainingHistory> TrainAsync(Trainer<T> trainer, IAsyncEnumerable<DataBatch<T>> batches, (Matrix<T>, Matrix<T>)? validation, CancellationToken cancellationToken)
    {
        Network<T>? outer = BeginTraining();
        try
        {
            return await trainer.RunAsync(batches, validation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndTraining(outer);
        }
    }

    /// <summary>Marks this network as training in the current logical flow; throws when it already trains.</summary>
    private Network<T>? BeginTraining()
    {
        if (Interlocked.CompareExchange(ref _training, 1, 0) != 0)
        {
            throw new InvalidOperationException($"{Describe()} is already being trained; one Fit at a time per network.");
        }

        Network<T>? outer = TrainingHere.Value;
        TrainingHere.Value = this;
        return outer;
    }

    private void EndTraining(Network<T>? outer)
    {
        TrainingHere.Value = outer;
        Volatile.Write(ref _training, 0);
    }

    /// <summary>Rejects a call from outside a running Fit: it would see, or disturb, weights in the middle of an update.</summary>
    private void ThrowIfTrainingElsewhere()
    {
        if (Volatile.Read(ref _training) != 0 && !ReferenceEquals(TrainingHere.Value, this))
        {
            throw new InvalidOperationException($"{Describe()} is being trained on another thread; predict or change it after Fit returns (a progress callback may evaluate it between epochs).");
        }
    }

    /// <summary>Adds <c>λ·W</c> to the gradient of every weight matrix (L2 decay; biases are left alone).</summary>
    internal void AddWeightDecay(T lambda)
    {
        foreach (Parameter<T> parameter in _parameters)
        {
            if (parameter.Decays)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(parameter.Values, lambda, parameter.Gradients, parameter.Gradients);
            }
        }
    }

    /// <summary>The class of each row of predictions or targets: the largest column, or a ½ threshold for one output.</summary>
    internal int[] Classes(Matrix<T> rows)
    {
        ReadOnlySpan<T> values = Storage.Of(rows);
        int count = rows.RowCount;
        var classes = new int[count];
        T half = T.CreateChecked(0.5);
        for (int i = 0; i < count; i++)
        {
            if (OutputSize == 1)
            {
                classes[i] = values[i] >= half ? 1 : 0;
                continue;
            }

            int best = 0;
            for (int j = 1; j < OutputSize; j++)
            {
                if (values[(j * count) + i] > values[(best * count) + i])
                {
                    best = j;
                }
            }

            classes[i] = best;
        }

        return classes;
    }

    /// <summary>
    /// One training step of plain gradient descent with the gradient fused into the update: forward, loss, then
    /// each layer from the last moves its parameters by <c>−η·dL/dθ</c> as it backpropagates. Parameters' gradient
    /// matrices are not filled. Returns the batch-mean loss before the step.
    /// </summary>
    internal T BackpropagateAndDescend(Matrix<T> inputs, Matrix<T> targets, T learningRate)
    {
        Matrix<T> current = inputs;
        foreach (Layer<T> layer in _layers)
        {
            current = layer.ForwardCore(current);
        }

        Matrix<T> gradient = _lossGradients.Get(inputs.RowCount);
        T loss = Loss.ValueAndGradient<T>(Storage.Of(current), Storage.Of(targets), Storage.Of(gradient), inputs.RowCount);
        if (!T.IsFinite(loss))
        {
            // The step would write NaN into the weights; leave them for the trainer to report and restore.
            return loss;
        }

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            gradient = _layers[l].BackwardAndDescendCore(gradient, learningRate, computeInputGradient: l > 0)!;
        }

        return loss;
    }

    /// <summary>The index of the first layer whose last training output held a non-finite value, or the last layer.</summary>
    internal int FirstNonFiniteLayer()
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            if (!_layers[l].LastOutputIsFinite)
            {
                return l;
            }
        }

        return _layers.Length - 1;
    }

    /// <summary>Targets for class labels: one-hot rows, or a 0/1 column for a single output.</summary>
    internal Matrix<T> Targets(IReadOnlyList<int> labels, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != sampleCount)
        {
            throw new ArgumentException($"Expected one label per sample: {sampleCount} samples but {labels.Count} labels.", nameof(labels));
        }

        int classes = OutputSize == 1 ? 2 : OutputSize;
        Matrix<T> targets = Storage.NewDense<T>(sampleCount, OutputSize);
        Span<T> values = Storage.Of(targets);
        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"Expected labels in [0, {classes - 1}] for {Describe()}, but the label at index {i} is {label}.", nameof(labels));
            }

            if (OutputSize == 1)
            {
                values[i] = T.CreateChecked(label);
            }
            else
            {
                values[(label * sampleCount) + i] = T.One;
            }
        }

        return targets;
    }

    private static void Check(Layer<T>[] layers, Loss loss)
    {
        if (layers.Length == 0)
        {
            throw new ArgumentException("Expected at least one layer, but got none.", nameof(layers));
        }

        for (int l = 0; l < layers.Length; l++)
        {
            if (layers[l] is null)
            {
                throw new ArgumentException($"Expected a layer at position {l}, but got null.", nameof(layers));
            }

            if (Array.IndexOf(layers, layers[l]) != l)
            {
                throw new ArgumentException($"Expected distinct layers, but {layers[l]} appears at positions {Array.IndexOf(layers, layers[l])} and {l}; create a new layer for each position.", nameof(layers));
            }

            if (l > 0 && layers[l].InputSize != layers[l - 1].OutputSize)
            {
                throw new ArgumentException($"Layer {l} {layers[l]} expects {layers[l].InputSize} inputs but layer {l - 1} {layers[l - 1]} produces {layers[l - 1].OutputSize}.", nameof(layers));
            }
        }

        if (loss.ExpectsLogits && layers[^1] is Dense<T> { Activation.IsIdentity: false } last)
        {
            throw new ArgumentException($"{loss.Name} works on logits and applies its own output function, so the last layer must use the identity activation, but {last} uses {last.Activation}.", nameof(loss));
        }
    }

    private static void CheckOptions(TrainingOptions options, bool streaming)
    {
        Guard.Positive(options.Epochs, nameof(options.Epochs));
        Guard.PositiveFinite(options.LearningRate, nameof(options.LearningRate));
        ArgumentNullException.ThrowIfNull(options.GradientDescent, nameof(options.GradientDescent));
        ArgumentNullException.ThrowIfNull(options.UpdateRule, nameof(options.UpdateRule));
        ArgumentNullException.ThrowIfNull(options.Schedule, nameof(options.Schedule));
        Guard.InRange(options.WeightDecay, 0, double.MaxValue, nameof(options.WeightDecay));
        Guard.InRange(options.ValidationFraction, 0, 1, nameof(options.ValidationFraction));
        if (streaming && options.ValidationFraction > 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"A stream of batches cannot be split for validation: pass validation data instead of ValidationFraction {options.ValidationFraction}."), nameof(options));
        }
    }

    /// <summary>A dataset's inputs and network-shaped targets, after checking it fits this network.</summary>
    private (Matrix<T> Inputs, Matrix<T> Targets)? Shaped(Dataset<T>? data, string paramName)
    {
        if (data is null)
        {
            return null;
        }

        Guard.Columns(data.Features, InputSize, Describe(), paramName + " features");
        if (data.IsClassification)
        {
            if (data.ClassCount != ClassCount)
            {
                throw new ArgumentException($"{Describe()} separates {ClassCount} classes, but {paramName} has {data.ClassCount}.", paramName);
            }

            return (data.Features, Targets(data.Labels!, data.Count));
        }

        Guard.Columns(data.Targets, OutputSize, Describe(), paramName + " targets");
        return (data.Features, data.Targets);
    }

    private void CheckData(Matrix<T> inputs, Matrix<T> targets)
    {
        Guard.NotEmpty(inputs, nameof(inputs));
        ArgumentNullException.ThrowIfNull(targets);

        // The description is built only on failure: this check runs on every public training step.
        if (inputs.ColumnCount != InputSize)
        {
            Guard.Columns(inputs, InputSize, Describe(), nameof(inputs));
        }

        Guard.SameRowCount(inputs, targets.RowCount, nameof(targets));
        if (targets.ColumnCount != OutputSize)
        {
            Guard.Columns(targets, OutputSize, Describe(), nameof(targets));
        }
    }

    private string Describe() => $"Network({InputSize}→{OutputSize})";
}
