// Which presets apply to an Inform, and the RPCs that bring the device to
// what they configure: one SetParameterValues of the values the cache does
// not already hold, one SetParameterAttributes of the notifications it does
// not already hold. A device whose cache matches gets nothing, so an
// every-Inform preset costs one RPC only when something drifted.
#pragma once

#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "presets/preset.hpp"
#include "registry/device_record.hpp"
#include "registry/task.hpp"

namespace acssim {

// True when the Inform's events satisfy the preset's "events".
bool events_match(const Preset& preset, const std::vector<cwmp::EventStruct>& events);

// The presets whose events and precondition match, in the order they apply
// (ascending weight, then name). `device` is the registry's record after the
// Inform was recorded; `events` are the Inform's.
std::vector<Preset> match_presets(const std::vector<Preset>& presets, const DeviceRecord& device,
                                  const std::vector<cwmp::EventStruct>& events);

struct PresetPlan {
    // Parameters to set whose current value the cache does not know (after
    // a BOOTSTRAP: that this Inform did not report). Read them first, so the
    // value is compared and its xsi:type known.
    std::vector<std::string> unknown;
    std::vector<TaskSpec> rpcs;  // to run in the session, in order
};

// With `read_unknown_first`, a plan with unknown parameters has no RPCs
// yet; without, unknown values count as different.
PresetPlan plan_presets(const std::vector<Preset>& matched, const DeviceRecord& device,
                        const std::vector<cwmp::EventStruct>& events, bool read_unknown_first);

}  // namespace acssim
