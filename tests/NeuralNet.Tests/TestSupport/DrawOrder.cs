namespace NeuralNet.Tests.TestSupport;

/// <summary>The order in which <see cref="TestData.Blobs{T}"/> draws the noise of a samples × features matrix.</summary>
/// <remarks>
/// Both orders give blobs of the same distribution but different values from the same seed; each test keeps the order
/// its numbers were found with.
/// </remarks>
internal enum DrawOrder
{
    /// <summary>Column by column: every sample's first feature, then every sample's second, as MathNet's <c>Build.Dense</c> initialiser runs.</summary>
    FeatureByFeature,

    /// <summary>Row by row: all the features of the first sample, then of the second.</summary>
    SampleBySample,
}
