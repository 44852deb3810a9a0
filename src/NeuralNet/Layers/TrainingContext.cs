namespace NeuralNet.Layers;

/// <summary>
/// What a layer's training-mode forward pass may draw on: the training's seeded generator, for layers that draw at
/// random in training mode (dropout masks). Drawing from it, and from nothing else, keeps a seeded run reproducible
/// bit for bit and lets a checkpoint resume it exactly.
/// </summary>
public sealed class TrainingContext
{
    /// <summary>Creates a context drawing from <paramref name="random"/>.</summary>
    /// <param name="random">The generator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public TrainingContext(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Random = random;
    }

    /// <summary>The generator.</summary>
    public RandomSource Random { get; }
}
