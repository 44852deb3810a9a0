namespace NeuralNet.Data;

// The part of Dataset<T> that splits it: into training and validation sets, or three ways with a test set.
public sealed partial class Dataset<T>
{
    /// <summary>
    /// Splits into training and validation sets, drawing from <paramref name="seed"/>. With
    /// <paramref name="stratify"/>, each class keeps its share in both parts.
    /// </summary>
    /// <param name="validationFraction">The fraction of samples for validation, in (0, 1).</param>
    /// <param name="seed">The seed; the same seed gives the same split.</param>
    /// <param name="stratify">Split each class separately (classification only).</param>
    /// <returns>The two parts; neither is empty.</returns>
    /// <exception cref="ArgumentException">The fraction is outside (0, 1), a part would be empty, or stratification was asked of a regression dataset.</exception>
    public (Dataset<T> Train, Dataset<T> Validation) Split(double validationFraction, int seed, bool stratify = false)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, FormattableString.Invariant($"Expected a validation fraction in (0, 1), but got {validationFraction}."));
        }

        if (stratify && _labels is null)
        {
            throw new ArgumentException("Stratified splitting needs class labels, but this dataset is a regression dataset.", nameof(stratify));
        }

        var random = new RandomSource(seed);
        var train = new List<int>();
        var validation = new List<int>();
        IEnumerable<int[]> groups = stratify
            ? Enumerable.Range(0, Count).GroupBy(i => _labels![i]).OrderBy(g => g.Key).Select(g => g.ToArray())
            : [Enumerable.Range(0, Count).ToArray()];
        foreach (int[] group in groups)
        {
            random.Shuffle(group);
            int take = (int)Math.Round(group.Length * validationFraction, MidpointRounding.AwayFromZero);
            validation.AddRange(group.AsSpan(0, take));
            train.AddRange(group.AsSpan(take));
        }

        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"Splitting {Count} samples with validation fraction {validationFraction} leaves {train.Count} for training and {validation.Count} for validation; both need at least one."), nameof(validationFraction));
        }

        // Sorting keeps each part in file order, so the split alone decides membership, not order.
        train.Sort();
        validation.Sort();
        return (Subset(train), Subset(validation));
    }

    /// <summary>
    /// Splits into training, validation and test sets in one draw from <paramref name="seed"/>: each sample lands in
    /// exactly one part. With <paramref name="stratify"/>, each class keeps its share in all three parts.
    /// </summary>
    /// <remarks>
    /// Within each class (or over all samples without stratification), the shuffled samples give
    /// round(n · <paramref name="testFraction"/>) to the test set, then round(n · <paramref name="validationFraction"/>)
    /// to the validation set, and the rest to training. Each part keeps file order.
    /// </remarks>
    /// <param name="validationFraction">The fraction of samples for validation, in (0, 1).</param>
    /// <param name="testFraction">The fraction of samples for testing, in (0, 1); with <paramref name="validationFraction"/> less than 1.</param>
    /// <param name="seed">The seed; the same seed gives the same split.</param>
    /// <param name="stratify">Split each class separately (classification only).</param>
    /// <returns>The three parts; none is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside (0, 1), or the two add up to 1 or more.</exception>
    /// <exception cref="ArgumentException">A part would be empty, or stratification was asked of a regression dataset.</exception>
    public (Dataset<T> Train, Dataset<T> Validation, Dataset<T> Test) SplitThreeWays(double validationFraction, double testFraction, int seed, bool stratify = false)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, FormattableString.Invariant($"Expected a validation fraction in (0, 1), but got {validationFraction}."));
        }

        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, FormattableString.Invariant($"Expected a test fraction in (0, 1), but got {testFraction}."));
        }

        if (validationFraction + testFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, FormattableString.Invariant($"Expected the validation and test fractions to leave samples for training (add up to less than 1), but {validationFraction} + {testFraction} = {validationFraction + testFraction}."));
        }

        if (stratify && _labels is null)
        {
            throw new ArgumentException("Stratified splitting needs class labels, but this dataset is a regression dataset.", nameof(stratify));
        }

        var random = new RandomSource(seed);
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        IEnumerable<int[]> groups = stratify
            ? Enumerable.Range(0, Count).GroupBy(i => _labels![i]).OrderBy(g => g.Key).Select(g => g.ToArray())
            : [Enumerable.Range(0, Count).ToArray()];
        foreach (int[] group in groups)
        {
            random.Shuffle(group);
            int testTake = (int)Math.Round(group.Length * testFraction, MidpointRounding.AwayFromZero);
            // Rounding both shares up can ask for more than a small class holds; the validation share gives way.
            int validationTake = Math.Min((int)Math.Round(group.Length * validationFraction, MidpointRounding.AwayFromZero), group.Length - testTake);
            test.AddRange(group.AsSpan(0, testTake));
            validation.AddRange(group.AsSpan(testTake, validationTake));
            train.AddRange(group.AsSpan(testTake + validationTake));
        }

        if (train.Count == 0 || validation.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"Splitting {Count} samples with validation fraction {validationFraction} and test fraction {testFraction} leaves {train.Count} for training, {validation.Count} for validation and {test.Count} for testing; all three need at least one."), nameof(testFraction));
        }

        train.Sort();
        validation.Sort();
        test.Sort();
        return (Subset(train), Subset(validation), Subset(test));
    }
}
