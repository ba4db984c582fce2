using System.Reflection;
using System.Runtime.CompilerServices;
using CrampSense.Signals.Dsp;
using CrampSense.Signals.Features;
using CrampSense.Signals.Recordings;
using Xunit;

namespace CrampSense.Signals.Tests;

public sealed class HotPathTests
{
    [Fact]
    public void Compiled_IsOptimisedAtFirstCall()
    {
        Assert.True(HotPath.Compiled.HasFlag(MethodImplOptions.AggressiveOptimization));
        Assert.False(HotPath.Compiled.HasFlag(MethodImplOptions.NoOptimization));
    }

    /// <summary>The per-row methods of a replay's reader thread and of the extractor, one per stage.</summary>
    [Theory]
    [InlineData(typeof(RecordingReader), nameof(RecordingReader.TryReadFrame))]
    [InlineData(typeof(RecordingNumber), nameof(RecordingNumber.TryParsePrefix))]
    [InlineData(typeof(EmgChannelFilterBank), nameof(EmgChannelFilterBank.Process))]
    [InlineData(typeof(LinearEnvelopeBank), nameof(LinearEnvelopeBank.Process))]
    [InlineData(typeof(ChannelQualityMonitor), nameof(ChannelQualityMonitor.Add))]
    [InlineData(typeof(FrontEndAhead), nameof(FrontEndAhead.Add))]
    [InlineData(typeof(EmgFeatureExtractor), nameof(EmgFeatureExtractor.Process))]
    [InlineData(typeof(MuscleActivityDetector), nameof(MuscleActivityDetector.OnSample))]
    public void ReplayLoopMethod_IsMarkedCompiled(Type type, string name)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var methods = type.GetMethods(all).Where(m => m.Name == name && m.DeclaringType == type).ToList();
        Assert.NotEmpty(methods);
        Assert.Contains(methods, m => m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization));
    }
}
