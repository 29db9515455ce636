// Data-model operations per second: reads of one value and of a whole
// object, validated writes in memory and through the SQLite store.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "datamodel/model.hpp"

namespace {

std::shared_ptr<const datamodel::Definitions> definitions() {
    static auto loaded = [] {
        auto result = datamodel::Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
        if (!result) {
            std::fprintf(stderr, "cannot load definitions: %s\n", result.error().message.c_str());
            std::exit(1);
        }
        return std::make_shared<const datamodel::Definitions>(std::move(*result));
    }();
    return loaded;
}

void BM_GetOneValue(benchmark::State& state) {
    datamodel::Model model(definitions());
    const std::vector<std::string> paths{"Device.ManagementServer.PeriodicInformInterval"};
    for (auto _ : state) {
        auto values = model.get_values(paths);
        benchmark::DoNotOptimize(values);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetOneValue);

void BM_GetWholeTree(benchmark::State& state) {
    datamodel::Model model(definitions());
    const std::vector<std::string> paths{"Device."};
    std::size_t count = 0;
    for (auto _ : state) {
        auto values = model.get_values(paths);
        count = values ? values->size() : 0;
        benchmark::DoNotOptimize(values);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
    state.counters["parameters"] = static_cast<double>(count);
}
BENCHMARK(BM_GetWholeTree);

void BM_SetOneValueInMemory(benchmark::State& state) {
    datamodel::Model model(definitions());
    std::uint32_t interval = 60;
    for (auto _ : state) {
        auto result = model.set_values(
            {{"Device.ManagementServer.PeriodicInformInterval", std::to_string(++interval), {}}});
        benchmark::DoNotOptimize(result);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetOneValueInMemory);

// Each write is a durable SQLite transaction (synchronous=FULL): this is
// bounded by the disk's fsync rate, not by the CPU.
void BM_SetOneValueDurable(benchmark::State& state) {
    const auto folder =
        std::filesystem::temp_directory_path() / ("phonecwmp-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    {
        auto model = datamodel::Model::open(definitions(), folder / "store.sqlite");
        if (!model) {
            state.SkipWithError(model.error().message.c_str());
            std::filesystem::remove_all(folder);
            return;
        }
        std::uint32_t interval = 60;
        for (auto _ : state) {
            auto result = (*model)->set_values({{"Device.ManagementServer.PeriodicInformInterval",
                                                 std::to_string(++interval),
                                                 {}}});
            benchmark::DoNotOptimize(result);
        }
    }
    std::filesystem::remove_all(folder);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetOneValueDurable)->Unit(benchmark::kMicrosecond);

}  // namespace
