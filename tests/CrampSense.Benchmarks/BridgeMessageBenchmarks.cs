using System.Buffers;
using BenchmarkDotNet.Attributes;
using CrampSense.Bridge.Mapping;
using CrampSense.Bridge.Validation;
using CrampSense.Contract;

namespace CrampSense.Benchmarks;

/// <summary>
/// The bridge's per-message CPU stages on the payload of <see cref="BridgeThroughputBenchmarks"/> (a cramp event with
/// every optional number): checking it against the contract (UTF-8, JSON, schema, deserialising) and mapping it to a
/// line of line protocol. Together they are the work the payload workers do per message; the MQTT receive and
/// PUBACK, the batch's HTTP write and the acknowledgements are measured whole-process in the throughput benchmark.
/// Thread CPU (steadier under load):
///   dotnet run -c Release --project tests/CrampSense.Benchmarks -- stage-profile 9 BridgeMessageBenchmarks
/// Wall clock and allocations:
///   dotnet run -c Release --project tests/CrampSense.Benchmarks -- --filter '*BridgeMessage*' --job short --memory
/// </summary>
public class BridgeMessageBenchmarks
{
    private const int Messages = 1000;
    private readonly ContractPayloadValidator _validator = new();
    private ReadOnlySequence<byte>[] _payloads = [];
    private ContractMessage[] _messages = [];
    private string _topic = "";

    [GlobalSetup]
    public void Setup()
    {
        _topic = "crampsense/v1/bench-0001/event";
        _payloads = [.. Enumerable.Range(0, Messages).Select(i => new ReadOnlySequence<byte>(BridgeThroughputBenchmarks.Payload("bench-0001", 1, i)))];
        _messages = [.. _payloads.Select(p => _validator.Validate(_topic, p).Message ?? throw new InvalidOperationException("the benchmark payload is not valid"))];
    }

    /// <summary>UTF-8 check, JSON parse, schema check and deserialising into an <see cref="EventMessage"/>.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int Validate()
    {
        var valid = 0;
        foreach (var payload in _payloads)
        {
            valid += _validator.Validate(_topic, payload).IsValid ? 1 : 0;
        }

        return valid;
    }

    /// <summary>The parsed message to its line of line protocol.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int MapToLineProtocol()
    {
        var length = 0;
        foreach (var message in _messages)
        {
            length += InfluxPointMapper.ToLineProtocol(message).Length;
        }

        return length;
    }

    /// <summary>The whole worker step: check and map.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int ValidateAndMap()
    {
        var length = 0;
        foreach (var payload in _payloads)
        {
            length += InfluxPointMapper.ToLineProtocol(_validator.Validate(_topic, payload).Message!).Length;
        }

        return length;
    }
}
