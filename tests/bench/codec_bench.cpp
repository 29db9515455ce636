// Codec throughput: encode and decode of GetParameterValuesResponse and
// SetParameterValues envelopes of growing size (DESIGN.md §8).
#include <benchmark/benchmark.h>

#include <string>

#include "cwmp/codec.hpp"

namespace {

cwmp::Envelope values_response(int entries) {
    cwmp::GetParameterValuesResponse response;
    for (int i = 0; i < entries; ++i) {
        response.parameter_list.push_back(
            {"Device.Services.VoiceService.1.SIP.Client." + std::to_string(i) + ".AuthUserName",
             "user-" + std::to_string(i), "xsd:string"});
    }
    cwmp::Envelope envelope{{}, std::move(response)};
    envelope.header.id = "bench";
    return envelope;
}

void BM_EncodeGetParameterValuesResponse(benchmark::State& state) {
    auto codec = cwmp::make_codec();
    const cwmp::Envelope envelope = values_response(static_cast<int>(state.range(0)));
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string text = codec->encode(envelope, cwmp::Namespace::Cwmp12);
        bytes += text.size();
        benchmark::DoNotOptimize(text);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.counters["entries"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_EncodeGetParameterValuesResponse)
    ->Arg(10)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

void BM_DecodeGetParameterValuesResponse(benchmark::State& state) {
    auto codec = cwmp::make_codec();
    const std::string text =
        codec->encode(values_response(static_cast<int>(state.range(0))), cwmp::Namespace::Cwmp12);
    for (auto _ : state) {
        auto decoded = codec->decode(text);
        if (!decoded) {
            state.SkipWithError(decoded.error().detail.c_str());
            break;
        }
        benchmark::DoNotOptimize(decoded);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
    state.counters["message_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_DecodeGetParameterValuesResponse)
    ->Arg(10)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
