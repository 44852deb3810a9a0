using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// The native environment is not .NET's copy of it: what OpenBLAS reads while it loads has to be set with the C
/// library's <c>setenv</c>, which is why NeuralNet does so.
/// </summary>
public class NativeEnvironmentTests
{
    [Fact]
    public void Dotnets_SetEnvironmentVariable_does_not_reach_native_code_on_Unix_but_setenv_does()
    {
        string name = $"NEURALNET_TEST_{Guid.NewGuid():N}";
        try
        {
            Environment.SetEnvironmentVariable(name, "dotnet");
            if (OperatingSystem.IsWindows())
            {
                NativeEnvironment.IsAvailable.Should().BeFalse();
                return;
            }

            NativeEnvironment.IsAvailable.Should().BeTrue();
            NativeEnvironment.Get(name).Should().BeNull("getenv does not see .NET's copy of the environment");

            NativeEnvironment.Set(name, "native").Should().BeTrue();
            NativeEnvironment.Get(name).Should().Be("native");
            Environment.GetEnvironmentVariable(name).Should().Be("dotnet", "setenv does not change .NET's copy either");

            NativeEnvironment.Unset(name).Should().BeTrue();
            NativeEnvironment.Get(name).Should().BeNull();
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void The_loader_tells_a_loaded_library_from_one_that_is_not()
    {
        if (!OperatingSystem.IsLinux())
        {
            NativeEnvironment.AlreadyLoaded("libc.so.6").Should().Be(0);
            return;
        }

        // Every .NET process on Linux has the C library loaded; nothing has loaded a library that does not exist.
        NativeEnvironment.AlreadyLoaded("libc.so.6").Should().NotBe(0);
        NativeEnvironment.AlreadyLoaded("libneuralnet-no-such-library.so.1").Should().Be(0);
    }
}
