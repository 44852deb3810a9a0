using System.Globalization;
using System.Numerics;
using System.Text;
using FluentAssertions.Execution;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Training;
using NeuralNet.UpdateRules;

namespace NeuralNet.Tests.Data;

/// <summary>
/// <see cref="Csv.ReadBatches{T}"/>: a CSV file read lazily in batches, one pass per enumeration, with the options,
/// rules and messages of <see cref="Csv.Load{T}"/>; the batches hold what Load reads, training on them equals
/// training on the loaded data batch for batch, and an epoch allocates the same whatever the file's length.
/// </summary>
public sealed class CsvBatchesTests : IDisposable
{
    /// <summary>The customers file's options: an id to skip, labels 1 to 3 (renumbered), empty cells to fill.</summary>
    private static readonly CsvOptions Customers = new() { IgnoreColumns = ["id"], EmptyCells = CsvEmptyCells.FillWithMean };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "NeuralNet.Tests.CsvBatches." + Guid.NewGuid().ToString("N"));

    public CsvBatchesTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text, string name = "data.csv")
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// Rows of id, three features (about one cell in 20 empty), and a class 1, 2 or 3 that depends on the features;
    /// a blank line and CRLF line ends here and there.
    /// </summary>
    private string CustomersFile(int rows, int seed, string name = "customers.csv")
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,x1,x2,x3,class\n");
        for (int i = 0; i < rows; i++)
        {
            double[] x = [random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2, random.NextDouble()];
            int label = x[0] + x[1] > 0.5 ? 3 : x[0] > x[1] ? 1 : 2;
            text.Append(CultureInfo.InvariantCulture, $"c{i:D5}");
            foreach (double value in x)
            {
                text.Append(',').Append(random.Next(20) == 0 ? string.Empty : value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append(',').Append(label).Append(i % 7 == 0 ? "\r\n" : "\n");
            if (i % 31 == 0)
            {
                text.Append('\n');
            }
        }

        return Write(text.ToString(), name);
    }

    /// <summary>Every batch of an enumeration, copied (the matrices are reused from batch to batch).</summary>
    private static List<DataBatch<T>> Copies<T>(IEnumerable<DataBatch<T>> batches)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. batches.Select(b => new DataBatch<T>(b.Inputs.Clone(), b.Targets.Clone()))];

    private static Matrix<T> Stack<T>(IEnumerable<Matrix<T>> parts)
        where T : unmanaged, IFloatingPointIeee754<T>
        => parts.Aggregate((a, b) => a.Stack(b));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(64)]
    [InlineData(1000)]
    public void The_batches_hold_the_rows_Load_reads_in_file_order(int batchSize)
    {
        string path = CustomersFile(rows: 200, seed: 11);
        Dataset<double> loaded = Csv.Load<double>(path, Customers);

        List<DataBatch<double>> batches = Copies(Csv.ReadBatches<double>(path, batchSize, Customers));

        int full = 200 / batchSize;
        int last = 200 % batchSize;
        batches.Select(b => b.Inputs.RowCount).Should().Equal([.. Enumerable.Repeat(batchSize, full), .. last > 0 ? [last] : Array.Empty<int>()]);
        Stack(batches.Select(b => b.Inputs)).Should().Be(loaded.Features);
        Stack(batches.Select(b => b.Targets)).Should().Be(loaded.Targets);
    }

    [Fact]
    public void Regression_targets_from_several_columns_are_made_in_the_order_asked()
    {
        string path = Write("a,y1,b,y2\n1,10,2,100\n3,30,4,300\n5,50,6,500\n");
        var options = new CsvOptions { Classification = false, TargetColumns = ["y2", "y1"] };

        List<DataBatch<float>> batches = Copies(Csv.ReadBatches<float>(path, 2, options));

        Stack(batches.Select(b => b.Targets)).Should().Be(Matrix<float>.Build.DenseOfRowArrays([100, 10], [300, 30], [500, 50]));
        Stack(batches.Select(b => b.Inputs)).Should().Be(Csv.Load<float>(path, options).Features);
    }

    [Fact]
    public void The_batches_say_what_they_hold_before_the_first_is_read()
    {
        string path = CustomersFile(rows: 60, seed: 12);
        Dataset<double> loaded = Csv.Load<double>(path, Customers);

        CsvBatches<double> batches = Csv.ReadBatches<double>(path, 16, Customers);

        batches.Path.Should().Be(path);
        batches.BatchSize.Should().Be(16);
        batches.FeatureCount.Should().Be(3);
        batches.FeatureNames.Should().Equal("x1", "x2", "x3");
        batches.IsClassification.Should().BeTrue();
        batches.ClassCount.Should().Be(3);
        batches.TargetCount.Should().Be(3);
        batches.ClassNames.Should().Equal(loaded.ClassNames);
        batches.ClassNames.Should().Equal("1", "2", "3");
        batches.FillValues.Should().Equal(loaded.FillValues);
    }

    [Fact]
    public void Classes_are_found_by_a_first_pass_so_a_class_seen_only_in_the_last_row_has_its_column_from_the_first_batch()
    {
        string path = Write("x,y\n1,a\n2,b\n3,a\n4,b\n5,c\n");

        List<DataBatch<double>> batches = Copies(Csv.ReadBatches<double>(path, 2));

        batches[0].Targets.Should().Be(Matrix<double>.Build.DenseOfRowArrays([1, 0, 0], [0, 1, 0]));
        batches[2].Targets.Should().Be(Matrix<double>.Build.DenseOfRowArrays([0, 0, 1]));
    }

    [Fact]
    public void Full_batches_share_one_set_of_matrices_and_a_smaller_last_batch_has_its_own()
    {
        string path = CustomersFile(rows: 50, seed: 13);
        var inputs = new List<Matrix<double>>();
        var targets = new List<Matrix<double>>();

        foreach (DataBatch<double> batch in Csv.ReadBatches<double>(path, 16, Customers))
        {
            inputs.Add(batch.Inputs);
            targets.Add(batch.Targets);
        }

        inputs.Should().HaveCount(4);
        inputs.Take(3).Should().AllSatisfy(m => m.Should().BeSameAs(inputs[0]));
        targets.Take(3).Should().AllSatisfy(m => m.Should().BeSameAs(targets[0]));
        inputs[3].Should().NotBeSameAs(inputs[0]);
        inputs[3].RowCount.Should().Be(2);
    }

    [Fact]
    public void Reused_one_hot_rows_hold_only_the_current_batch_s_classes()
    {
        // Batch 1 is class a, a; batch 2 is b, b: left-over ones from batch 1 would show in batch 2's first column.
        string path = Write("x,y\n1,a\n2,a\n3,b\n4,b\n");

        using IEnumerator<DataBatch<double>> enumerator = Csv.ReadBatches<double>(path, 2).GetEnumerator();
        enumerator.MoveNext().Should().BeTrue();
        enumerator.MoveNext().Should().BeTrue();

        enumerator.Current.Targets.Should().Be(Matrix<double>.Build.DenseOfRowArrays([0, 1], [0, 1]));
    }

    [Fact]
    public void Enumerations_are_independent_and_each_reads_the_whole_file()
    {
        string path = CustomersFile(rows: 40, seed: 14);
        CsvBatches<double> batches = Csv.ReadBatches<double>(path, 8, Customers);
        var first = new List<DataBatch<double>>();
        var second = new List<DataBatch<double>>();

        // Interleaved: each enumeration has its own file position and matrices.
        using (IEnumerator<DataBatch<double>> a = batches.GetEnumerator())
        using (IEnumerator<DataBatch<double>> b = batches.GetEnumerator())
        {
            while (a.MoveNext())
            {
                first.Add(new DataBatch<double>(a.Current.Inputs.Clone(), a.Current.Targets.Clone()));
                b.MoveNext().Should().BeTrue();
                b.Current.Inputs.Should().NotBeSameAs(a.Current.Inputs);
                second.Add(new DataBatch<double>(b.Current.Inputs.Clone(), b.Current.Targets.Clone()));
            }

            b.MoveNext().Should().BeFalse();
        }

        first.Should().HaveCount(5);
        Stack(first.Select(x => x.Inputs)).Should().Be(Stack(second.Select(x => x.Inputs)));
        Stack(Copies(batches).Select(x => x.Targets)).Should().Be(Stack(first.Select(x => x.Targets)));
    }

    private static Network<T> Build<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Network.Sequential<T>(3).Dense(8, Activation.Tanh).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 31);

    private static void ShouldHaveSameWeights<T>(Network<T> actual, Network<T> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < expected.Parameters.Count; p++)
        {
            actual.Parameters[p].Value.ToColumnMajorArray().Should().Equal(expected.Parameters[p].Value.ToColumnMajorArray(), $"parameter {p} must be bit-identical");
        }
    }

    private void Training_on_the_file_s_batches_equals_training_on_the_loaded_dataset_s_batches<T>(int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string path = CustomersFile(rows: 230, seed: 15);
        var options = new TrainingOptions { Epochs = 4, LearningRate = 0.05, UpdateRule = new Adam(), Seed = 3 };
        Network<T> streamed = Build<T>();
        Network<T> inMemory = Build<T>();

        TrainingHistory fromFile = streamed.Fit(Csv.ReadBatches<T>(path, batchSize, Customers), options);
        TrainingHistory fromMemory = inMemory.Fit(Csv.Load<T>(path, Customers).Batches(batchSize), options);

        ShouldHaveSameWeights(streamed, inMemory);
        fromFile.Epochs.Should().HaveCount(4);
        fromFile.Epochs.Select(e => (e.Loss, e.Updates)).Should().Equal(fromMemory.Epochs.Select(e => (e.Loss, e.Updates)));
        fromFile.Epochs[0].Updates.Should().Be((230 + batchSize - 1) / batchSize, "each enumeration is one epoch and each batch one update");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(23)]
    public void Training_on_the_file_s_batches_equals_training_on_the_loaded_dataset_s_batches_bit_for_bit_in_double(int batchSize) =>
        Training_on_the_file_s_batches_equals_training_on_the_loaded_dataset_s_batches<double>(batchSize);

    [Fact]
    public void Training_on_the_file_s_batches_equals_training_on_the_loaded_dataset_s_batches_bit_for_bit_in_float() =>
        Training_on_the_file_s_batches_equals_training_on_the_loaded_dataset_s_batches<float>(16);

    [Fact]
    public void One_batch_of_the_whole_file_equals_batch_gradient_descent_on_the_loaded_dataset()
    {
        string path = CustomersFile(rows: 120, seed: 16);
        var options = new TrainingOptions { Epochs = 6, LearningRate = 0.3, UpdateRule = new Plain() };
        Network<double> streamed = Build<double>();
        Network<double> inMemory = Build<double>();

        streamed.Fit(Csv.ReadBatches<double>(path, 1000, Customers), options);
        inMemory.Fit(Csv.Load<double>(path, Customers), options with { GradientDescent = new BatchGradientDescent() });

        ShouldHaveSameWeights(streamed, inMemory);
    }

    [Fact]
    public void An_epoch_allocates_the_same_whatever_the_file_s_length()
    {
        // 1,000 and 20,000 rows in batches of 50 (no smaller last batch): reading costs the file's buffers and one set
        // of batch matrices, nothing per row or per batch. Loading the larger file holds 20,000 × 3 doubles (480 KB)
        // twice.
        CsvBatches<double> small = Csv.ReadBatches<double>(CustomersFile(rows: 1_000, seed: 17, "small.csv"), 50, Customers);
        CsvBatches<double> large = Csv.ReadBatches<double>(CustomersFile(rows: 20_000, seed: 17, "large.csv"), 50, Customers);
        double sum = 0;

        (long smallBytes, Exception? smallError) = Allocation.Measure(() => sum += Epoch(small));
        (long largeBytes, Exception? largeError) = Allocation.Measure(() => sum += Epoch(large));

        using (new AssertionScope())
        {
            smallError.Should().BeNull();
            largeError.Should().BeNull();
            sum.Should().BeGreaterThan(0);
            (largeBytes - smallBytes).Should().BeLessThan(1024, "rows and batches allocate nothing");
            largeBytes.Should().BeLessThan(64 * 1024, "an epoch holds the file's buffers and one batch of 50 × (3 + 3) doubles");
        }

        static double Epoch(CsvBatches<double> batches)
        {
            double total = 0;
            foreach (DataBatch<double> batch in batches)
            {
                total += batch.Targets[0, 0] + batch.Targets[batch.Targets.RowCount - 1, 2];
            }

            return total;
        }
    }

    [Fact]
    public void Empty_cells_are_filled_with_the_means_of_the_whole_file()
    {
        string path = Write("a,b,y\n1,,0\n3,4,1\n,8,0\n");
        var options = new CsvOptions { EmptyCells = CsvEmptyCells.FillWithMean };

        CsvBatches<double> batches = Csv.ReadBatches<double>(path, 1, options);

        batches.FillValues.Should().Equal(2.0, 6.0);
        Stack(Copies(batches).Select(b => b.Inputs)).Should().Be(Matrix<double>.Build.DenseOfRowArrays([1, 6], [3, 4], [2, 8]));
    }

    [Fact]
    public void Without_a_first_pass_a_bad_row_is_found_when_the_enumeration_reaches_it()
    {
        string path = Write("x,y\n1,a\n2,b\n3,a\n4,oops,1\n5,b\n");
        var given = new CsvOptions { Classes = ["a", "b"] };
        const string Message = "Line 5: expected 2 fields like the first line, but got 3.";

        CsvBatches<double> batches = Csv.ReadBatches<double>(path, 2, given);
        var read = new List<int>();
        Action enumerate = () =>
        {
            foreach (DataBatch<double> batch in batches)
            {
                read.Add(batch.Inputs.RowCount);
            }
        };
        Action firstPass = () => Csv.ReadBatches<double>(path, 2);

        enumerate.Should().ThrowExactly<DataFormatException>().WithMessage(Message).Which.Line.Should().Be(5);
        read.Should().Equal([2], "the first batch was read before line 5");
        firstPass.Should().ThrowExactly<DataFormatException>().WithMessage(Message);
    }

    [Fact]
    public void Bad_cells_are_refused_with_Load_s_messages()
    {
        string path = Write("x,y\n1,0.5\n,0.25\n");
        var options = new CsvOptions { Classification = false };

        Action streamed = () => Copies(Csv.ReadBatches<double>(path, 4, options));
        Action loaded = () => Csv.Load<double>(path, options);

        string message = loaded.Should().ThrowExactly<DataFormatException>().Which.Message;
        streamed.Should().ThrowExactly<DataFormatException>().Which.Message.Should().Be(message);
        message.Should().StartWith("Line 3, column 1 ('x'): expected a finite number, but the cell is empty");
    }

    [Fact]
    public void A_file_without_data_rows_is_refused_when_read()
    {
        string headerOnly = Write("x,y\n\n", "header.csv");
        string blank = Write("\n \n", "blank.csv");
        var regression = new CsvOptions { Classification = false };

        Action enumerate = () => Copies(Csv.ReadBatches<double>(headerOnly, 4, regression));
        Action create = () => Csv.ReadBatches<double>(blank, 4, regression);

        enumerate.Should().ThrowExactly<DataFormatException>().WithMessage("Expected at least one data row, but the text has none after 2 line(s).");
        create.Should().ThrowExactly<DataFormatException>().WithMessage("Expected at least one data row, but the text has none after 2 line(s).");
    }

    [Fact]
    public void A_file_that_changed_since_the_batches_were_made_is_refused()
    {
        string path = Write("x,y\n1,a\n2,b\n");
        CsvBatches<double> batches = Csv.ReadBatches<double>(path, 2);

        File.WriteAllText(path, "x,z\n1,a\n2,b\n");
        Exception? header = Record.Exception(() => Copies(batches));
        File.WriteAllText(path, "x,y\n1,a\n2,c\n");
        Exception? label = Record.Exception(() => Copies(batches));

        header.Should().BeOfType<DataFormatException>().Which.Message.Should().Be("Line 1: expected the header the batches were made with, 'x,y', but got 'x,z'; the file changed.");
        label.Should().BeOfType<DataFormatException>().Which.Message.Should().Be("Line 3, column 2 ('y'): expected one of the 2 classes of the file (found by the first pass; did the file change?) ('a', 'b'), but got 'c'.");
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        string path = Write("x,y\n1,0.5\n");
        var regression = new CsvOptions { Classification = false };

        ((Action)(() => Csv.ReadBatches<double>(path, 0, regression))).Should().ThrowExactly<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("batchSize");
        ((Action)(() => Csv.ReadBatches<double>(path, int.MaxValue, regression with { TargetColumns = [0], TargetColumnIndex = -1 }))).Should()
            .ThrowExactly<ArgumentOutOfRangeException>().WithMessage("A batch of 2147483647 rows of 1 features would be*").Which.ParamName.Should().Be("batchSize");
        ((Action)(() => Csv.ReadBatches<double>(null!, 4))).Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("path");
        ((Action)(() => Csv.ReadBatches<double>(Path.Combine(_directory, "absent.csv"), 4, regression))).Should().Throw<FileNotFoundException>();
        ((Action)(() => Csv.ReadBatches<Half>(path, 4, regression))).Should().ThrowExactly<NotSupportedException>();
    }

    [Fact]
    public void An_enumerator_has_no_batch_before_MoveNext_or_after_the_end_and_cannot_be_reset()
    {
        string path = Write("x,y\n1,0.5\n", "one.csv");
        using IEnumerator<DataBatch<double>> enumerator = Csv.ReadBatches<double>(path, 4, new CsvOptions { Classification = false }).GetEnumerator();

        ((Action)(() => _ = enumerator.Current)).Should().ThrowExactly<InvalidOperationException>();
        enumerator.MoveNext().Should().BeTrue();
        enumerator.Current.Inputs.RowCount.Should().Be(1);
        enumerator.MoveNext().Should().BeFalse();
        ((Action)(() => _ = enumerator.Current)).Should().ThrowExactly<InvalidOperationException>();
        ((Action)enumerator.Reset).Should().ThrowExactly<NotSupportedException>();
    }
}
