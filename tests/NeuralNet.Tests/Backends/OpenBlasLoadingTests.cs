using System.Runtime.InteropServices;
using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// How OpenBLAS is loaded, in fresh processes (it loads once per process, reading the environment as it does): a kernel
/// the environment sets is kept, NeuralNet's own choice is set only for the load, a copy loaded by someone else is
/// used as it is, and a training on OpenBLAS gives the same bits in every process.
/// </summary>
/// <remarks>
/// The tests never unset an <c>OPENBLAS_CORETYPE</c> the machine sets (some machines set it because other kernels
/// fail there); where it is set, the cases that need it unset check that it is kept instead.
/// </remarks>
[Collection(BackendSettings.Name)]
public class OpenBlasLoadingTests
{
    private static readonly Dictionary<string, string> Inherited = [];

    /// <summary>
    /// What the default backend is, given what it would be were OpenBLAS the default: where 512-bit vectors run
    /// natively, the managed kernel is the default and OpenBLAS is not loaded for it.
    /// </summary>
    private static string DefaultDescription(string whereOpenBlasIsTheDefault)
        => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? MatrixBackend.Managed.Description : whereOpenBlasIsTheDefault;

    /// <summary>The machine's own <c>OPENBLAS_CORETYPE</c>, which the child processes inherit, or null.</summary>
    private static string? MachineValue => NativeEnvironment.Get(OpenBlasKernel.Variable);

    [OpenBlasFact]
    public void A_kernel_the_environment_sets_is_kept_and_named()
    {
        // Every x86-64 CPU runs Prescott (SSE3), so setting it is safe; an OpenBLAS without that kernel ignores the name.
        string value = MachineValue ?? "Prescott";

        IReadOnlyDictionary<string, string> probe = ProbeProcess.Run(new Dictionary<string, string> { [OpenBlasKernel.Variable] = value }, "describe");

        probe["env"].Should().Be(value);
        probe["openblas"].Should().Match($"openblas (* kernel, *OPENBLAS_CORETYPE*)").And.NotContain("NeuralNet");
        if (value == "Prescott" && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            probe["openblas"].Should().Be("openblas (Prescott kernel, set by OPENBLAS_CORETYPE)");
            probe["current"].Should().Be(DefaultDescription($"{MatrixBackend.Managed.Description}; openblas not used: its Prescott kernel (set by OPENBLAS_CORETYPE) is an SSE-era kernel, slower than the managed one"));
        }
    }

    [OpenBlasFact]
    public void Where_the_environment_leaves_it_open_NeuralNet_chooses_from_the_CPU_for_the_load_only()
    {
        IReadOnlyDictionary<string, string> probe = ProbeProcess.Run(Inherited, "describe");

        (string? request, KernelSource source) = OpenBlasKernel.Choose(MachineValue, CpuFeatures.Current);
        probe["env"].Should().Be(MachineValue ?? "(unset)", "the environment is left as it was");
        if (source == KernelSource.NeuralNet)
        {
            string features = CpuFeatures.Current.HasAvx512 ? "AVX-512" : "AVX2 and FMA";
            probe["openblas"].Should().Be($"openblas ({request} kernel, chosen by NeuralNet from the CPU's {features})");
            probe["current"].Should().Be(DefaultDescription(probe["openblas"]));
        }
        else
        {
            probe["openblas"].Should().NotContain("chosen by NeuralNet");
        }
    }

    [OpenBlasFact]
    public void A_kernel_set_only_in_dotnets_copy_of_the_environment_reaches_OpenBlas()
    {
        // Environment.SetEnvironmentVariable does not change the native environment OpenBLAS reads; NeuralNet hands the
        // value on for the load and removes it again. A value the machine sets natively comes first.
        IReadOnlyDictionary<string, string> probe = ProbeProcess.Run(Inherited, "describe", "--managed-env", "Prescott");

        probe["env"].Should().Be(MachineValue ?? "(unset)");
        probe["openblas"].Should().Match($"openblas (* kernel, *OPENBLAS_CORETYPE*)").And.NotContain("NeuralNet");
        if (MachineValue is null && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            probe["openblas"].Should().Be("openblas (Prescott kernel, set by OPENBLAS_CORETYPE)");
        }
    }

    [OpenBlasFact]
    public void An_OpenBlas_loaded_before_NeuralNet_is_used_as_it_is()
    {
        IReadOnlyDictionary<string, string> probe = ProbeProcess.Run(Inherited, "describe", "--preload");

        probe["openblas"].Should().Match("openblas (* kernel, loaded into the process before NeuralNet)");
        probe["env"].Should().Be(MachineValue ?? "(unset)");
    }

    [OpenBlasFact]
    public void Asking_for_the_managed_kernel_leaves_OpenBlas_unloaded_and_the_default_loads_it_where_it_may_be_chosen()
    {
        IReadOnlyDictionary<string, string> managed = ProbeProcess.Run(new Dictionary<string, string> { ["NEURALNET_BACKEND"] = "managed" }, "current");
        IReadOnlyDictionary<string, string> chosen = ProbeProcess.Run(new Dictionary<string, string> { ["NEURALNET_BACKEND"] = "" }, "current");

        managed["current"].Should().Be(MatrixBackend.Managed.Description);
        managed["loaded"].Should().Be("False");
        bool managedByDefault = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        chosen["loaded"].Should().Be(managedByDefault ? "False" : "True");
        chosen["current"].Should().Be(DefaultDescription(MatrixBackend.Select(null, OpenBlasLibrary.Candidate).Description), "the child chooses as this process does");
    }

    [OpenBlasFact]
    public void A_training_on_OpenBlas_gives_the_same_bits_in_this_process_and_in_two_others()
    {
        string here = BackendProbe.TrainAndHash(MatrixBackend.OpenBlas!);
        string again = BackendProbe.TrainAndHash(MatrixBackend.OpenBlas!);
        string first = ProbeProcess.Run(Inherited, "train")["predictions"];
        string second = ProbeProcess.Run(Inherited, "train")["predictions"];

        again.Should().Be(here);
        second.Should().Be(first);

        // The child processes load OpenBLAS as this one did, so they run the same kernel and agree with it too.
        first.Should().Be(here);
    }
}
