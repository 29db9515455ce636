// What every fuzz target in this folder defines: the libFuzzer entry point,
// and whether the parser under test accepts an input, which the corpus
// replay test checks against the seed's name (valid-* / invalid-*).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes);

// An accepted input that breaks an invariant is a bug: crash so that the
// fuzzer records the input (and the replay test fails).
inline void require(bool condition) {
    if (!condition) __builtin_trap();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace phonecwmp::fuzz
