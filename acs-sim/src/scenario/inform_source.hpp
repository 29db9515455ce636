// Where the scenario runner learns about a device's latest Inform. The
// registry (in-process) and acs-sim's NBI (`_lastEvents`) have every event
// code of the Inform; GenieACS's NBI only tells "1 BOOT" and "0 BOOTSTRAP"
// (_lastBoot/_lastBootstrap equal _lastInform).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace acssim::scenario {

struct InformState {
    std::string last_inform;  // ISO 8601; changes with every Inform
    std::string last_boot;    // of the latest Inform with "1 BOOT"; "" before any
    // Of the latest Inform; only what the source can see (sees_every_event).
    std::vector<std::string> events;
};

class InformSource {
public:
    virtual ~InformSource() = default;
    // nullopt while the device is unknown; the error names what failed.
    virtual phonecwmp::Expected<std::optional<InformState>, std::string> latest(
        const std::string& device_id, std::chrono::steady_clock::time_point deadline) = 0;
    // True when `events` lists every event code of the Inform.
    virtual bool sees_every_event() const = 0;
    // Where the states come from, for messages.
    virtual std::string description() const = 0;
};

}  // namespace acssim::scenario
