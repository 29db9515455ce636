// Fuzz target of scenario files (acs-sim run, acs-sim/src/scenario/
// scenario_parser.hpp; JSON, the only syntax the parser reads), with the
// default limits and with tight ones: what parses respects the limits.
#include <string_view>

#include "fuzz_target.hpp"
#include "scenario/scenario_parser.hpp"

namespace {

using acssim::scenario::ScenarioLimits;
using phonecwmp::fuzz::require;

void exercise(std::string_view text, const ScenarioLimits& limits) {
    auto scenario = acssim::scenario::parse_scenario(text, limits);
    if (!scenario) {
        require(!scenario.error().empty());
        return;
    }
    require(!scenario->steps.empty() && scenario->steps.size() <= limits.max_steps);
    require(scenario->total_timeout <= limits.max_total_timeout);
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return acssim::scenario::parse_scenario(bytes).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = phonecwmp::fuzz::as_text(data, size);
    exercise(text, ScenarioLimits{});
    ScenarioLimits tight;
    tight.max_file_bytes = 4096;
    tight.max_steps = 4;
    tight.max_items = 4;
    tight.max_total_timeout = std::chrono::seconds(600);
    exercise(text, tight);
    return 0;
}
