// A provisioning preset, GenieACS-style: configurations the simulator applies
// in a device's session when the Inform's events and the device's fields
// match.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "nbi/documents.hpp"
#include "nbi/query.hpp"

namespace acssim {

// {"type": "value", "name": "Device.X", "value": 300 [, "valueType": "xsd:unsignedInt"]}
struct PresetValue {
    std::string name;
    Json value;                       // string, number or boolean, as given
    std::optional<std::string> type;  // the xsi:type; else the cached or inferred one
};

// {"type": "notification", "name": "Device.X", "value": 0|1|2} (acs-sim's own
// type: GenieACS presets cannot set attributes).
struct PresetNotification {
    std::string name;
    int notification = 0;
};

using PresetConfiguration = std::variant<PresetValue, PresetNotification>;

struct Preset {
    std::string name;
    // Presets apply in ascending weight (then name) order; a later one wins
    // when two configure the same parameter.
    long long weight = 0;
    std::string channel = "default";
    // Event code -> whether the Inform must (true) or must not (false) carry
    // it. Empty: every Inform.
    std::map<std::string, bool, std::less<>> events;
    // The query a device document must match; empty text matches every device.
    std::string precondition;
    Query precondition_query;
    std::vector<PresetConfiguration> configurations;
    // The preset as GET /presets shows it and the database keeps it.
    Json document;
};

}  // namespace acssim
