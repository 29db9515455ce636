// Replays a fuzz target's committed seed corpus (PHONECWMP_FUZZ_CORPUS_DIR)
// through LLVMFuzzerTestOneInput in every build, and checks that the seeds
// still mean what their names say: valid-* are accepted by the parser under
// test, invalid-* are rejected. PHONECWMP_FUZZ_SUITE, the suite's name, comes
// from tests/fuzz/CMakeLists.txt so that ctest's test names stay unique.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_target.hpp"

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(PHONECWMP_FUZZ_SUITE, SeedsReplayCleanlyAndKeepTheirMeaning) {
    const std::filesystem::path corpus = PHONECWMP_FUZZ_CORPUS_DIR;
    ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
    std::size_t valid = 0;
    std::size_t invalid = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        const std::string name = entry.path().filename().string();
        const std::string bytes = read_file(entry.path());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        const bool accepted = phonecwmp::fuzz::input_accepted(bytes);
        if (name.starts_with("valid-")) {
            ++valid;
            EXPECT_TRUE(accepted) << name << " is no longer accepted";
        } else if (name.starts_with("invalid-")) {
            ++invalid;
            EXPECT_FALSE(accepted) << name << " is now accepted";
        } else {
            ADD_FAILURE() << name << ": seed names start with valid- or invalid-";
        }
    }
    EXPECT_GE(valid, 3u) << "too few accepted seeds in " << corpus;
    EXPECT_GE(invalid, 2u) << "too few rejected seeds in " << corpus;
}

TEST(PHONECWMP_FUZZ_SUITE, DegenerateInputs) {
    // What a fuzzer reaches first: nothing, one byte, NULs, line ends, a
    // large run of one character.
    // Each is garbage to every parser here but the empty input, which an
    // empty query may legitimately mean.
    LLVMFuzzerTestOneInput(nullptr, 0);
    const std::string inputs[] = {
        std::string(1, '\0'),    std::string(64, '\0'), "\r\n\r\n", "{", "<",
        std::string(100000, '[')};
    for (const std::string& input : inputs) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        EXPECT_FALSE(phonecwmp::fuzz::input_accepted(input)) << input.substr(0, 16);
    }
}

}  // namespace
