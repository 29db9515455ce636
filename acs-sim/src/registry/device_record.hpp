// What the simulator knows about one device.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "util/time_format.hpp"

namespace acssim {

// One entry of the parameter cache: a parameter (leaf) or an object (a path
// ending in '.'), as learnt from Inform, GetParameterValues(Response),
// SetParameterValues and GetParameterNames(Response).
struct CachedParameter {
    bool object = false;
    // Absent when only the name is known (GetParameterNames) or for objects.
    std::optional<std::string> value;
    // xsi:type as the CPE wrote it ("xsd:unsignedInt"); empty when it gave none.
    std::string type;
    // Absent until a GetParameterNamesResponse said.
    std::optional<bool> writable;
    // When any of the above was last learnt.
    TimePoint timestamp{};
    // The notification attribute (0 off, 1 passive, 2 active), once an
    // acknowledged SetParameterAttributes set it.
    std::optional<int> notification;

    friend bool operator==(const CachedParameter&, const CachedParameter&) = default;
};

// Keyed by full path; ordered, so a subtree is a contiguous range.
using ParameterCache = std::map<std::string, CachedParameter, std::less<>>;

struct DeviceRecord {
    std::string id;  // make_device_id(device_id)
    cwmp::DeviceId device_id;
    TimePoint registered{};                   // first Inform
    TimePoint last_inform{};                  // latest Inform
    std::optional<TimePoint> last_boot;       // latest Inform carrying "1 BOOT"
    std::optional<TimePoint> last_bootstrap;  // latest Inform carrying "0 BOOTSTRAP"
    std::vector<cwmp::EventStruct> last_events;
    ParameterCache parameters;
};

}  // namespace acssim
