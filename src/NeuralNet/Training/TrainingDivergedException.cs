namespace NeuralNet.Training;

/// <summary>
/// Training produced a non-finite loss or non-finite weights (NaN or infinity), typically from a learning rate too
/// high for the problem. Training stops, and the network is left with the finite weights it had at the start of the
/// diverging epoch; no checkpoint of non-finite weights is written.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The underlying error.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private TrainingDivergedException(string message, int epoch, int step, int layer)
        : base(message)
    {
        Epoch = epoch;
        Step = step;
        Layer = layer;
    }

    /// <summary>The epoch (from 1) in which the loss became non-finite.</summary>
    public int Epoch { get; }

    /// <summary>
    /// The update (from 1) within that epoch whose loss was non-finite; or, when the loss stayed finite but an update
    /// overflowed the weights, the epoch's last update, after which they were found.
    /// </summary>
    public int Step { get; }

    /// <summary>
    /// The index of the first layer whose output held a non-finite value (the last layer when only the loss did), or
    /// of the first layer with non-finite weights.
    /// </summary>
    public int Layer { get; }

    /// <summary>The exception for a step whose loss is not finite.</summary>
    internal static TrainingDivergedException NonFiniteLoss(int epoch, int step, int layer, string layerName, double loss, string? hint = null)
        => new($"Training diverged in epoch {epoch}, step {step}: the loss is {loss.ToString(System.Globalization.CultureInfo.InvariantCulture)}, and the first non-finite values appeared in layer {layer} ({layerName}). The network keeps the weights it had at the start of epoch {epoch}; a smaller learning rate usually helps.{Hinted(hint)}", epoch, step, layer);

    /// <summary>The exception for weights an update overflowed while every loss was finite.</summary>
    internal static TrainingDivergedException NonFiniteWeights(int epoch, int steps, int layer, string layerName, string? hint = null)
        => new($"Training diverged in epoch {epoch}, step {steps}: after that update the weights of layer {layer} ({layerName}) are not finite, although every loss in the epoch was. The network keeps the weights it had at the start of epoch {epoch}; a smaller learning rate usually helps.{Hinted(hint)}", epoch, steps, layer);

    private static string Hinted(string? hint) => hint is null ? string.Empty : " " + hint;
}
