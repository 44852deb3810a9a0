using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Training;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Reading a validation or test file the way the training file was read: the training's classes
/// (<see cref="CsvOptions.Classes"/>), fill values and feature columns, through <see cref="CsvOptions.LikeTraining{T}"/>.
/// </summary>
public class CsvTestFileTests
{
    private const string Training = "id,a,b,grade\nr1,1,,1\nr2,3,4,3\nr3,,8,2\nr4,5,6,3\n";

    private static Dataset<double> Read(string text, CsvOptions? options = null) => Csv.Read<double>(new StringReader(text), options);

    [Fact]
    public void A_test_file_with_only_some_classes_is_read_with_the_training_s_class_numbers()
    {
        var options = new CsvOptions { IgnoreColumns = ["id"], EmptyCells = CsvEmptyCells.FillWithMean };
        var train = Read(Training, options);
        const string test = "id,a,b,grade\nt1,2,2,3\nt2,4,4,1\n";

        var alone = Read(test, options);
        var like = Read(test, options.LikeTraining(train));

        // Alone, labels 1 and 3 would be classes 0 and 1; with the training's classes 1, 2, 3 they are 0 and 2.
        train.ClassNames.Should().Equal("1", "2", "3");
        alone.Labels.Should().Equal(1, 0);
        like.Labels.Should().Equal(2, 0);
        like.ClassCount.Should().Be(3);
        like.ClassNames.Should().Equal("1", "2", "3");
    }

    [Fact]
    public void A_network_trained_on_a_file_answers_in_its_labels_and_validates_on_a_test_file_read_like_it()
    {
        var options = new CsvOptions { IgnoreColumns = ["id"], EmptyCells = CsvEmptyCells.FillWithMean };
        var train = Read(Training, options);
        const string test = "id,a,b,grade\nt1,2,2,3\nt2,4,4,1\n";
        var training = new TrainingOptions { Epochs = 3, LearningRate = 0.1, Seed = 1 };
        Network<double> network = Network.Sequential<double>(2).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 1);

        Action alone = () => network.Fit(train, training, validation: Read(test, options));
        network.Fit(train, training, validation: Read(test, options.LikeTraining(train)));

        // Read alone, the test file holds 2 classes; read like the training file, the training's 3.
        alone.Should().Throw<ArgumentException>().WithMessage("*separates 3 classes, but validation has 2*");
        network.ClassNames.Should().Equal("1", "2", "3");
        network.PredictLabels(train.Features).Should().OnlyContain(label => label == "1" || label == "2" || label == "3");
    }

    [Fact]
    public void A_network_trained_on_a_file_takes_its_feature_names_and_refuses_a_file_whose_columns_are_named_otherwise()
    {
        var options = new CsvOptions { IgnoreColumns = ["id"], EmptyCells = CsvEmptyCells.FillWithMean };
        var train = Read(Training, options);
        var swapped = Read("id,b,a,grade\nr1,1,2,1\nr2,3,4,3\nr3,5,8,2\n", options);
        var training = new TrainingOptions { Epochs = 1, LearningRate = 0.1, Seed = 1 };
        Network<double> network = Network.Sequential<double>(2).Dense(3).Build(Loss.SoftmaxCrossEntropy, seed: 1);

        network.Fit(train, training);
        Action again = () => network.Fit(swapped, training);

        network.FeatureNames.Should().Equal("a", "b");
        again.Should().Throw<ArgumentException>().WithMessage("*names its features ['a', 'b']*but train names its columns ['b', 'a']*");
    }

    [Fact]
    public void A_test_file_s_empty_cells_get_the_training_means_not_its_own()
    {
        var options = new CsvOptions { IgnoreColumns = ["id"], EmptyCells = CsvEmptyCells.FillWithMean };
        var train = Read(Training, options);

        var test = Read("id,a,b,grade\nt1,,100,3\nt2,100,,1\n", options.LikeTraining(train));

        // Training means: a = (1 + 3 + 5)/3 = 3, b = (4 + 8 + 6)/3 = 6.
        train.FillValues.Should().Equal(3.0, 6.0);
        test.Features.Should().Be(Matrix<double>.Build.DenseOfRowArrays([3, 100], [100, 6]));
        test.FillValues.Should().Equal(3.0, 6.0);
    }

    [Fact]
    public void A_test_file_whose_columns_come_in_another_order_reads_the_same_features_by_name()
    {
        var train = Read(Training, new CsvOptions { IgnoreColumns = ["id"], EmptyCells = CsvEmptyCells.FillWithMean });

        var test = Read("grade,b,a,id\n2,20,10,t1\n", new CsvOptions { TargetColumn = "grade", EmptyCells = CsvEmptyCells.FillWithMean }.LikeTraining(train));

        test.FeatureNames.Should().Equal("a", "b");
        test.Features.Should().Be(Matrix<double>.Build.DenseOfRowArrays([10, 20]));
        test.Labels.Should().Equal(1);
    }

    [Fact]
    public void Integer_classes_zero_to_k_minus_one_carry_over_too()
    {
        var train = Read("a,y\n1,0\n2,1\n3,2\n");

        var test = Read("a,y\n5,2\n6,2\n", new CsvOptions().LikeTraining(train));

        test.Labels.Should().Equal(2, 2);
        test.ClassCount.Should().Be(3);
    }

    [Fact]
    public void A_dataset_made_in_memory_gives_its_class_count_as_class_names()
    {
        var train = Dataset.ForClassification(Matrix<double>.Build.Dense(3, 1), [0, 1, 2]);

        new CsvOptions().LikeTraining(train).Classes.Should().Equal("0", "1", "2");
    }

    [Fact]
    public void LikeTraining_rejects_a_null_training_set()
    {
        Action act = () => new CsvOptions().LikeTraining<double>(null!);

        act.Should().ThrowExactly<ArgumentNullException>().Which.ParamName.Should().Be("training");
    }

    [Fact]
    public void A_label_the_training_never_had_is_refused_listing_the_classes()
    {
        var train = Read("a,y\n1,cat\n2,dog\n");

        Action act = () => Read("a,y\n1,dog\n2,cow\n", new CsvOptions().LikeTraining(train));

        var error = act.Should().ThrowExactly<DataFormatException>()
            .WithMessage("Line 3, column 2 ('y'): expected one of the 2 classes of CsvOptions.Classes ('cat', 'dog'), but got 'cow'.").Which;
        error.Line.Should().Be(3);
        error.Column.Should().Be(2);
    }

    [Fact]
    public void Given_classes_keep_their_order_and_digit_labels_compare_by_value()
    {
        var data = Read("a,y\n1,07\n2,10\n3,7\n", new CsvOptions { Classes = ["10", "7", "3"] });

        data.Labels.Should().Equal(1, 0, 1);
        data.ClassNames.Should().Equal("10", "7", "3");
        data.Targets.ColumnCount.Should().Be(3);
    }

    [Fact]
    public void Given_name_classes_compare_as_text()
    {
        var data = Read("a,y\n1,Cat\n2,\" dog \"\n", new CsvOptions { Classes = ["dog", "Cat"] });

        data.Labels.Should().Equal(1, 0);
    }
}
