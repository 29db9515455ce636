// Replays the seed corpus of the SIP fuzz target (corpus/sip_message) through
// LLVMFuzzerTestOneInput, under ASan/UBSan, and checks that the seeds still
// mean what their names say: valid-* parse, invalid-* are rejected.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sip/message_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(SipFuzzCorpus, SeedsReplayCleanlyAndKeepTheirMeaning) {
    const std::filesystem::path corpus = PHONECWMP_SIP_CORPUS_DIR;
    ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
    std::size_t valid = 0;
    std::size_t invalid = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        const std::string name = entry.path().filename().string();
        const std::string bytes = read_file(entry.path());
        ASSERT_FALSE(bytes.empty()) << name;
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());

        const auto parsed = agent::sip::parse_sip_message(bytes);
        if (name.starts_with("valid-")) {
            ++valid;
            EXPECT_TRUE(parsed.has_value()) << name << ": " << parsed.error().message;
        } else if (name.starts_with("invalid-")) {
            ++invalid;
            EXPECT_FALSE(parsed.has_value()) << name;
        } else {
            ADD_FAILURE() << name << ": seed names start with valid- or invalid-";
        }
    }
    EXPECT_GE(valid, 8u);
    EXPECT_GE(invalid, 7u);
}

TEST(SipFuzzCorpus, DegenerateInputs) {
    // Inputs a fuzzer reaches first: nothing, one byte, only line ends, NULs.
    const std::string inputs[] = {"",        "\r",     "\n\n\n",    std::string(64, '\0'),
                                  "SIP/2.0", "INVITE", "\r\n\r\nX", std::string(70000, 'A')};
    for (const std::string& input : inputs) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        EXPECT_FALSE(agent::sip::parse_sip_message(input).has_value());
    }
}

}  // namespace
