// Fuzz target of preset bodies (PUT /presets/<name>, acs-sim/src/presets/
// preset_json.hpp), parsed from JSON as the NBI handler does, under a name
// taken from the input's first line so that names are fuzzed too.
#include <string>
#include <string_view>

#include "fuzz_target.hpp"
#include "nbi/documents.hpp"
#include "presets/preset_json.hpp"

namespace {

using acssim::Json;
using phonecwmp::fuzz::require;

phonecwmp::Expected<acssim::Preset, std::string> parse(std::string_view bytes) {
    std::string_view name = "fuzz";
    if (const auto newline = bytes.find('\n'); newline != std::string_view::npos) {
        name = bytes.substr(0, newline);
        bytes.remove_prefix(newline + 1);
    }
    const Json body = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return phonecwmp::Unexpected(std::string("not JSON"));
    return acssim::parse_preset(name, body);
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return parse(bytes).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto preset = parse(phonecwmp::fuzz::as_text(data, size));
    if (!preset) require(!preset.error().empty());
    return 0;
}
