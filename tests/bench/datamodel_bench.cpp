// Data-model operations per second: reads of one value and of a whole
// object, validated writes in memory and through the SQLite store, and the
// targets of the engine: definitions load time, a GetParameterValues of a
// 10,000-parameter tree, a SetParameterValues of 100 parameters.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

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

// --- Targets of the data-model engine (issue 3): definitions load time, a
// GetParameterValues of a 10,000-parameter tree, a SetParameterValues of 100
// parameters with and without its durable commit.

// One table of ten parameters; 1,000 instances make a 10,000-parameter tree.
constexpr const char* kTableModel = R"xml(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">
  <model name="Bench:1.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="RowNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
    </object>
    <object name="Device.Row.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
            numEntriesParameter="RowNumberOfEntries">
      <parameter name="Enable" access="readWrite">
        <syntax><boolean/><default type="object" value="true"/></syntax>
      </parameter>
      <parameter name="Name" access="readWrite">
        <syntax><string><size maxLength="64"/></string><default type="object" value="row"/></syntax>
      </parameter>
      <parameter name="Port" access="readWrite">
        <syntax><unsignedInt><range maxInclusive="65535"/></unsignedInt>
          <default type="object" value="5060"/></syntax>
      </parameter>
      <parameter name="Priority" access="readWrite">
        <syntax><int><range minInclusive="-100" maxInclusive="100"/></int>
          <default type="object" value="0"/></syntax>
      </parameter>
      <parameter name="Mode" access="readWrite">
        <syntax><string><enumeration value="Auto"/><enumeration value="Manual"/></string>
          <default type="object" value="Auto"/></syntax>
      </parameter>
      <parameter name="Counter" access="readWrite">
        <syntax><unsignedLong/><default type="object" value="0"/></syntax>
      </parameter>
      <parameter name="Address" access="readWrite">
        <syntax><string><size maxLength="45"/></string><default type="object" value=""/></syntax>
      </parameter>
      <parameter name="Label" access="readWrite">
        <syntax><string><size maxLength="32"/></string><default type="object" value=""/></syntax>
      </parameter>
      <parameter name="Interval" access="readWrite">
        <syntax><unsignedInt><range minInclusive="1"/></unsignedInt>
          <default type="object" value="60"/></syntax>
      </parameter>
      <parameter name="Weight" access="readWrite">
        <syntax><unsignedInt><range maxInclusive="1000"/></unsignedInt>
          <default type="object" value="1"/></syntax>
      </parameter>
    </object>
  </model>
</dm:document>
)xml";

std::shared_ptr<const datamodel::Definitions> table_definitions() {
    static auto loaded = [] {
        auto result = datamodel::Definitions::load_string(kTableModel, "bench-model");
        if (!result) {
            std::fprintf(stderr, "cannot load the bench model: %s\n",
                         result.error().message.c_str());
            std::exit(1);
        }
        return std::make_shared<const datamodel::Definitions>(std::move(*result));
    }();
    return loaded;
}

// Adds `count` rows; false (with the state skipped) on the first error.
bool add_rows(datamodel::Model& model, int count, benchmark::State& state) {
    for (int i = 0; i < count; ++i) {
        const auto added = model.add_object("Device.Row.");
        if (!added) {
            state.SkipWithError(added.error().message.c_str());
            return false;
        }
    }
    return true;
}

// Loads `file` once per iteration; reports how many parameters it defines.
void load_definitions(benchmark::State& state, const std::filesystem::path& file) {
    std::size_t count = 0;
    for (auto _ : state) {
        auto result = datamodel::Definitions::load_file(file);
        if (!result) {
            state.SkipWithError(result.error().message.c_str());
            return;
        }
        count = result->parameters().size();
        benchmark::DoNotOptimize(result);
    }
    state.counters["parameters"] = static_cast<double>(count);
}

void BM_LoadPhoneDefinitions(benchmark::State& state) {
    load_definitions(state, PHONECWMP_DEFINITIONS_FILE);
}
BENCHMARK(BM_LoadPhoneDefinitions)->Unit(benchmark::kMillisecond);

void BM_LoadBbfTr181(benchmark::State& state) {
    const char* shared = std::getenv("PHONECWMP_SHARED_DIR");
    const std::filesystem::path file = std::filesystem::path(shared ? shared : "") / "reference" /
                                       "bbf" / "tr-181-2-17-0-cwmp-full.xml";
    if (!shared || !*shared || !std::filesystem::exists(file)) {
        state.SkipWithError(
            "PHONECWMP_SHARED_DIR/reference/bbf/tr-181-2-17-0-cwmp-full.xml is absent");
        return;
    }
    load_definitions(state, file);
}
BENCHMARK(BM_LoadBbfTr181)->Unit(benchmark::kMillisecond);

// GetParameterValues of "Device." on 1,000 rows of ten parameters.
void BM_GetTenThousandParameters(benchmark::State& state) {
    datamodel::Model model(table_definitions());
    if (!add_rows(model, 1000, state)) return;
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
BENCHMARK(BM_GetTenThousandParameters)->Unit(benchmark::kMillisecond);

// One SetParameterValues of every parameter of ten rows, each value new.
std::vector<datamodel::ValueWrite> hundred_writes(std::uint32_t round) {
    std::vector<datamodel::ValueWrite> writes;
    writes.reserve(100);
    const std::string number = std::to_string(round % 1000);
    for (int row = 1; row <= 10; ++row) {
        const std::string prefix = "Device.Row." + std::to_string(row) + ".";
        writes.push_back({prefix + "Enable", round % 2 ? "true" : "false", {}});
        writes.push_back({prefix + "Name", "row-" + number, {}});
        writes.push_back({prefix + "Port", std::to_string(1024 + round % 60000), {}});
        writes.push_back(
            {prefix + "Priority", std::to_string(static_cast<int>(round % 200) - 100), {}});
        writes.push_back({prefix + "Mode", round % 2 ? "Manual" : "Auto", {}});
        writes.push_back({prefix + "Counter", std::to_string(round), {}});
        writes.push_back({prefix + "Address", "192.0.2." + std::to_string(round % 250 + 1), {}});
        writes.push_back({prefix + "Label", "label-" + number, {}});
        writes.push_back({prefix + "Interval", std::to_string(round % 3600 + 1), {}});
        writes.push_back({prefix + "Weight", number, {}});
    }
    return writes;
}

void set_hundred(datamodel::Model& model, benchmark::State& state) {
    if (!add_rows(model, 10, state)) return;
    std::uint32_t round = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const auto writes = hundred_writes(++round);
        state.ResumeTiming();
        auto result = model.set_values(writes);
        if (!result) {
            state.SkipWithError(result.error().front().message.c_str());
            return;
        }
    }
    state.SetItemsProcessed(state.iterations() * 100);
}

void BM_SetHundredInMemory(benchmark::State& state) {
    datamodel::Model model(table_definitions());
    set_hundred(model, state);
}
BENCHMARK(BM_SetHundredInMemory)->Unit(benchmark::kMicrosecond);

std::filesystem::path bench_folder(const char* name) {
    const auto folder = std::filesystem::temp_directory_path() /
                        ("phonecwmp-bench-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder;
}

// The same, each SetParameterValues committed to the SQLite store (WAL,
// synchronous=FULL) in a folder under /tmp.
void BM_SetHundredDurable(benchmark::State& state) {
    const auto folder = bench_folder("spv100");
    {
        auto model = datamodel::Model::open(table_definitions(), folder / "store.sqlite");
        if (model) {
            set_hundred(**model, state);
        } else {
            state.SkipWithError(model.error().message.c_str());
        }
    }
    std::filesystem::remove_all(folder);
}
BENCHMARK(BM_SetHundredDurable)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The yardstick of the durable figures: one 4 KiB write and fdatasync in the
// same folder, as SQLite does once per commit in WAL mode (synchronous=FULL
// syncs the WAL with fdatasync on Linux).
void BM_WriteAndFdatasync4KiB(benchmark::State& state) {
    const auto folder = bench_folder("fdatasync");
    const int fd = ::open((folder / "probe").c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0) {
        state.SkipWithError("cannot create the probe file");
        std::filesystem::remove_all(folder);
        return;
    }
    const std::string block(4096, 'x');
    for (auto _ : state) {
        if (::pwrite(fd, block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()) ||
            ::fdatasync(fd) != 0) {
            state.SkipWithError("write or fdatasync failed");
            break;
        }
    }
    ::close(fd);
    std::filesystem::remove_all(folder);
}
BENCHMARK(BM_WriteAndFdatasync4KiB)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
