// Reads a scenario file (JSON) into a Scenario, checking every member before
// anything runs, so a malformed file fails at once with a message that names
// the step and the member ("step 3, \"expect_fault\": ...").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"
#include "scenario/scenario.hpp"

namespace acssim::scenario {

struct ScenarioLimits {
    std::size_t max_file_bytes = 1024 * 1024;
    std::size_t max_steps = 1000;
    std::size_t max_items = 1000;  // expectations or events in one step
    std::chrono::seconds default_total_timeout{300};
    std::chrono::seconds max_total_timeout{24 * 3600};
    std::chrono::seconds default_device_timeout{120};
    std::chrono::seconds default_step_timeout{60};
    std::chrono::seconds max_sleep{3600};
};

phonecwmp::Expected<Scenario, std::string> parse_scenario(std::string_view text,
                                                          const ScenarioLimits& limits = {});

// Reads and parses a file; the error names the file.
phonecwmp::Expected<Scenario, std::string> load_scenario_file(const std::string& path,
                                                              const ScenarioLimits& limits = {});

}  // namespace acssim::scenario
