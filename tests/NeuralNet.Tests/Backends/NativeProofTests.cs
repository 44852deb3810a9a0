using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// A native library is trusted only after its products agree with the managed reference: a fake CBLAS library that is
/// wrong in one way at a time is refused, with a one-line reason that the default backend's description carries.
/// </summary>
[Collection(BackendSettings.Name)]
public class NativeProofTests
{
    [Fact]
    public void An_exact_library_passes_the_check()
        => NativeProof.Disagreement(FakeCblas.Backend(FakeCblas.Fault.None)).Should().BeNull();

    [Fact]
    public void The_managed_kernel_passes_the_check_despite_summing_in_another_order()
        => NativeProof.Disagreement(MatrixBackend.Managed).Should().BeNull();

    [OpenBlasFact]
    public void The_system_OpenBlas_passes_the_check()
        => NativeProof.Disagreement(MatrixBackend.OpenBlas!).Should().BeNull();

    [Theory]
    [InlineData(nameof(FakeCblas.Fault.FloatEntryOff), "disagreed with the managed reference by 3e-2 of the terms' size (allowed 1.6e-5) on 37×129×65 (float, A·B, beta 0)")]
    [InlineData(nameof(FakeCblas.Fault.DropsLastTerm), "disagreed with the managed reference by *of the terms' size (allowed 2.9e-14) on 37×129×65 (double, A·B, beta 0)")]
    [InlineData(nameof(FakeCblas.Fault.IgnoresTransposeB), "disagreed with the managed reference by *of the terms' size (allowed 2.9e-14) on 37×129×65 (double, A·Bᵀ, beta 0)")]
    [InlineData(nameof(FakeCblas.Fault.IgnoresBeta), "disagreed with the managed reference by *of the terms' size (allowed 2.9e-14) on 37×129×65 (double, A·B, beta 1)")]
    [InlineData(nameof(FakeCblas.Fault.ReadsCWhenBetaIsZero), "gave NaN or infinity where the managed reference is finite, on 37×129×65 (double, A·B, beta 0)")]
    public void A_wrong_library_is_refused_saying_where_and_by_how_much(string fault, string reason)
        => NativeProof.Disagreement(FakeCblas.Backend(Enum.Parse<FakeCblas.Fault>(fault))).Should().Match(reason);

    [Fact]
    public void By_default_a_refused_library_leaves_the_managed_kernel_running_and_says_why()
    {
        NativeCandidate candidate = NativeCandidate.Prove(FakeCblas.Backend(FakeCblas.Fault.FloatEntryOff), "its Fake kernel (a test's)", isFast: true);

        MatrixBackend chosen = MatrixBackend.Select(null, candidate);

        candidate.Backend.Should().BeNull();
        chosen.Name.Should().Be("managed");
        chosen.Description.Should().Be($"{MatrixBackend.Managed.Description}; openblas refused: its Fake kernel (a test's) disagreed with the managed reference by 3e-2 of the terms' size (allowed 1.6e-5) on 37×129×65 (float, A·B, beta 0)");
        chosen.Description.Should().NotContain("\n");
        ProductOf(chosen).Should().Equal(ProductOf(MatrixBackend.Managed));
    }

    [Fact]
    public void Asking_for_a_refused_library_by_name_throws_with_the_reason()
    {
        NativeCandidate candidate = NativeCandidate.Prove(FakeCblas.Backend(FakeCblas.Fault.DropsLastTerm), "its Fake kernel (a test's)", isFast: true);

        Action select = () => MatrixBackend.Select("openblas", candidate);

        select.Should().ThrowExactly<InvalidOperationException>()
            .WithMessage("NEURALNET_BACKEND=openblas, but openblas is refused: its Fake kernel (a test's) disagreed with the managed reference by *");
    }

    [Fact]
    public void By_default_a_proven_fast_library_is_used_and_describes_itself()
    {
        NativeCandidate candidate = NativeCandidate.Prove(FakeCblas.Backend(FakeCblas.Fault.None), "its Fake kernel (a test's)", isFast: true);

        MatrixBackend chosen = MatrixBackend.Select(null, candidate);

        chosen.Should().BeSameAs(candidate.Backend);
        chosen.Description.Should().Be("openblas (Fake kernel, a test's)");
    }

    [Fact]
    public void A_proven_but_slow_kernel_is_left_out_of_the_default_yet_given_when_asked_for()
    {
        NativeCandidate candidate = NativeCandidate.Prove(FakeCblas.Backend(FakeCblas.Fault.None), "its Prescott kernel (set by OPENBLAS_CORETYPE)", isFast: false);

        MatrixBackend.Select(null, candidate).Description.Should().Be(
            $"{MatrixBackend.Managed.Description}; openblas not used: its Prescott kernel (set by OPENBLAS_CORETYPE) is an SSE-era kernel, slower than the managed one");
        MatrixBackend.Select("OpenBLAS", candidate).Should().BeSameAs(candidate.Backend);
    }

    [Fact]
    public void Without_a_native_library_the_default_is_the_managed_kernel_saying_what_is_missing()
    {
        NativeCandidate missing = NativeCandidate.Missing("openblas", "not found (Debian: apt-get install libopenblas0-pthread)");

        MatrixBackend chosen = MatrixBackend.Select(null, missing);

        chosen.Description.Should().Be($"{MatrixBackend.Managed.Description}; openblas not found (Debian: apt-get install libopenblas0-pthread)");
        ProductOf(chosen).Should().Equal(ProductOf(MatrixBackend.Managed));
        MatrixBackend.Select(" Managed ", missing).Should().BeSameAs(MatrixBackend.Managed);
        ((Action)(() => MatrixBackend.Select("openblas", missing))).Should().ThrowExactly<InvalidOperationException>()
            .WithMessage("NEURALNET_BACKEND=openblas, but openblas is not found (Debian: apt-get install libopenblas0-pthread).");
    }

    [Fact]
    public void Asking_for_the_managed_kernel_never_loads_a_native_library()
    {
        int loads = 0;
        (string, Func<NativeCandidate>)[] natives = [("openblas", () =>
        {
            loads++;
            return NativeCandidate.Missing("openblas", "not found");
        })];

        MatrixBackend.Select("managed", natives).Should().BeSameAs(MatrixBackend.Managed);
        loads.Should().Be(0);
        MatrixBackend.Select(null, natives).Name.Should().Be("managed");
        loads.Should().Be(1);
    }

    [Fact]
    public void An_unknown_backend_name_is_refused_naming_the_known_ones()
    {
        Action select = () => MatrixBackend.Select("mkl", NativeCandidate.Missing("openblas", "not found"));

        select.Should().ThrowExactly<InvalidOperationException>().WithMessage("NEURALNET_BACKEND must be 'managed' or 'openblas', but got 'mkl'.");
    }

    private static float[] ProductOf(MatrixBackend backend)
    {
        var random = new Random(4);
        float[] a = [.. Enumerable.Range(0, 40 * 30).Select(_ => (float)random.NextDouble())];
        float[] b = [.. Enumerable.Range(0, 30 * 20).Select(_ => (float)random.NextDouble())];
        float[] c = new float[40 * 20];
        backend.Multiply(false, false, 40, 20, 30, a, b, 0f, c);
        return c;
    }
}
