// Replays a fuzz target's committed corpus, then bounded deterministic
// mutations of each seed, through LLVMFuzzerTestOneInput. Linked with the
// ASan/UBSan build of the library, so an out-of-bounds read or an abort()
// from the target's own round-trip check fails the test. This runs in every
// build; the libFuzzer targets (clang only) explore further.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr std::size_t kMutationsPerSeed = 2000;
constexpr std::size_t kMaxSeedSize = 4096;

std::vector<std::vector<std::uint8_t>> load_corpus() {
    std::vector<std::vector<std::uint8_t>> seeds;
    for (const auto& entry : std::filesystem::directory_iterator(DHCP_FUZZ_CORPUS_DIR)) {
        if (!entry.is_regular_file() || entry.file_size() > kMaxSeedSize) continue;
        std::ifstream file(entry.path(), std::ios::binary);
        seeds.emplace_back(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    return seeds;
}

void run(const std::vector<std::uint8_t>& input) {
    LLVMFuzzerTestOneInput(input.data(), input.size());
}

TEST(DHCP_FUZZ_SUITE, EverySeedRuns) {
    auto seeds = load_corpus();
    ASSERT_GE(seeds.size(), 8u) << "corpus missing or incomplete in " << DHCP_FUZZ_CORPUS_DIR;
    for (const auto& seed : seeds) run(seed);
    run({});
}

TEST(DHCP_FUZZ_SUITE, MutatedSeedsRun) {
    auto seeds = load_corpus();
    ASSERT_FALSE(seeds.empty());
    std::mt19937 random(20261127);  // fixed: a failure reproduces
    std::size_t runs = 0;
    for (const auto& seed : seeds) {
        for (std::size_t i = 0; i < kMutationsPerSeed; ++i) {
            auto input = seed;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int edit = 0; edit < edits && !input.empty(); ++edit) {
                const std::size_t at = random() % input.size();
                switch (random() % 5) {
                    case 0:
                        input[at] ^= static_cast<std::uint8_t>(1u << (random() % 8));
                        break;
                    case 1:
                        input[at] = static_cast<std::uint8_t>(random());
                        break;
                    case 2:
                        input.resize(at);
                        break;
                    case 3:
                        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at),
                                     static_cast<std::uint8_t>(random()));
                        break;
                    default:
                        input[at] = (random() % 2) ? 0xff : 0x00;
                        break;
                }
            }
            run(input);
            ++runs;
        }
    }
    EXPECT_EQ(runs, seeds.size() * kMutationsPerSeed);
}

}  // namespace
