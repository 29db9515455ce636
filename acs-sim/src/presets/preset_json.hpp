// PUT /presets/<name> bodies into presets, GenieACS's shape:
//
//   {"weight": 0, "channel": "default", "events": {"0 BOOTSTRAP": true},
//    "precondition": "{\"_deviceId._ProductClass\": \"IPPhone\"}",
//    "configurations": [
//      {"type": "value", "name": "Device.ManagementServer.PeriodicInformInterval",
//       "value": 300},
//      {"type": "notification", "name": "Device.DeviceInfo.SoftwareVersion", "value": 2}]}
//
// Every member is optional. "precondition" is a query in the language of
// GET /devices?query= (field equality), as JSON text or as a JSON object.
// Configuration types: "value" (optional "valueType", an xsi:type such as
// "xsd:unsignedInt"; without it the cached type, else one inferred from the
// JSON value, as for setParameterValues tasks) and "notification" (acs-sim's
// own, value 0, 1 or 2). "schedule" must be absent or empty; "_id" is
// ignored; any other member is an error, so a typo never silently does nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "nbi/documents.hpp"
#include "phonecwmp/expected.hpp"
#include "presets/preset.hpp"

namespace acssim {

inline constexpr std::size_t kMaxPresetNameBytes = 256;
inline constexpr std::size_t kMaxPresetConfigurations = 1000;
inline constexpr std::size_t kMaxPresetEvents = 64;

// The error names the member that is wrong.
phonecwmp::Expected<Preset, std::string> parse_preset(std::string_view name, const Json& body);

}  // namespace acssim
